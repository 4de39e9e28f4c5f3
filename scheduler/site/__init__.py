"""``jadwal site`` (in progress): a static web calendar that shows each post as it will look.

So far: how Instagram and Facebook show a post (``cards``), the Pillow copies of its media
(``thumbs``) and each post's captions, problems and states (``entries``); the pages and the
command are not written yet.
"""
