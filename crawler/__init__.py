"""The Scrapy side of govwatch: fetch pages and URLs, emit what was seen.

The crawler knows nothing about inspection rules; it reports pages, the links
on them and the confirmed result of every URL, and leaves judgement to
``detectors``.
"""
