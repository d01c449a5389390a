from __future__ import annotations

from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
)
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseNeverReceived

from crawler.errors import classify_error


def test_scrapy_download_errors():
    assert classify_error(DownloadTimeoutError("t")) == "timeout"
    assert classify_error(CannotResolveHostError("x")) == "dns"
    assert classify_error(DownloadConnectionRefusedError("r")) == "connection_refused"


def test_nested_twisted_reasons():
    reset = ResponseNeverReceived([Failure(ConnectionLost("gone"))])
    wrapped = DownloadFailedError("failed")
    wrapped.__cause__ = reset
    assert classify_error(wrapped) == "connection_reset"
    tls = ResponseNeverReceived(
        [Failure(SSL.Error([("SSL routines", "", "certificate verify failed")]))]
    )
    assert classify_error(tls) == "ssl"


def test_unknown_is_connection():
    assert classify_error(RuntimeError("?")) == "connection"
