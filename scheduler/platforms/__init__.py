"""The one home of what Instagram and Facebook accept and how jadwal gets a post there.

- ``limits``: the numbers (caption limits, image targets, video limits, carousel size,
  Instagram's aspect ratio as one integer rule);
- ``media``: what a file is (read from its header) and what a target would not take as it is;
- ``video``: what can be read of a video without ffmpeg (container, size, duration);
- ``captions``: caption limits and the office's blocked and warned words;
- ``rules``: ``plan``, the verdict on one post for one account, which ``jadwal check``, the
  dry run and every adapter ask before anything is prepared or sent;
- ``images``: images converted into what a target takes.
"""
