"""The Graph API adapters: the Facebook Page (``facebook``) and Instagram through the Graph API
(``instagram``), over one client (``client``, failures translated by ``errors``), one token
check (``token``), one way to open media for upload (``upload``) and one lookup by caption
(``lookup``).

Nothing is imported here: the registry imports an adapter's module only when an account of
that kind publishes, so ``jadwal check`` never loads facebook-sdk.
"""
