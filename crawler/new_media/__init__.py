"""Government new-media accounts (政务新媒体), read through feed mirrors.

Accounts on WeChat, Weibo, Douyin … cannot be crawled directly; operators read
them through mirrors that turn an account into a feed (RSSHub, WeWe-RSS,
wechat2rss, or Weibo's own m.weibo.cn container JSON). This package turns what
the mirrors serve into :class:`~crawler.new_media.posts.Post` values, as pure
functions on bytes and strings:

* :mod:`~crawler.new_media.feeds` — RSS 2.0, Atom, JSON Feed 1.1 and the Weibo
  container JSON, whichever the body is;
* :mod:`~crawler.new_media.wechat` — a WeChat article page (or its deleted stub);
* :mod:`~crawler.new_media.post_time` — the dates mirrors write, relative ones too.

The spider (:mod:`crawler.spiders.new_media`) fetches; the pipeline
(:mod:`crawler.new_media.pipeline`) stores and runs the text detectors.
"""
