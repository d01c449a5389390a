# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Both detection copies of a text in one pass of C (see ``normalize`` for the rules).

``normalize.py`` states the steps and keeps a Python implementation of them (regular
expressions and ``str.translate``); this module does the same per character, in C,
and writes each copy three ways at once: as ``str`` (for contexts, allow phrases and
jieba), as UTF-8 ``bytes`` (what the Aho–Corasick automata read: ``ahocorasick_rs``
would otherwise encode every copy again) and, when characters were deleted, as an
``int32`` map from each copy character to its original offset. The tests compare it
with the Python implementation on pages and on random text.

The character classes (folding table, format, noise and Han characters) come from
``normalize.py`` through ``configure`` so that both implementations read one
definition.
"""

from cpython.unicode cimport (
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_4BYTE_KIND,
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
    PyUnicode_READ,
    Py_UNICODE_TOLOWER,
)
from libc.stdint cimport int32_t, uint8_t, uint32_t
from libc.stdlib cimport free, malloc
from libc.string cimport memset


cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    object PyBytes_FromStringAndSize(const char* v, Py_ssize_t n)


cdef struct CharSet:
    uint8_t bmp[8192]          # one bit per BMP code point
    uint32_t* astral_lo        # sorted ranges above U+FFFF
    uint32_t* astral_hi
    Py_ssize_t astral_n


cdef inline bint _in(const CharSet* s, uint32_t cp) noexcept nogil:
    cdef Py_ssize_t lo, hi, mid
    if cp < 0x10000:
        return (s.bmp[cp >> 3] >> (cp & 7)) & 1
    lo = 0
    hi = s.astral_n
    while lo < hi:
        mid = (lo + hi) // 2
        if cp > s.astral_hi[mid]:
            lo = mid + 1
        elif cp < s.astral_lo[mid]:
            hi = mid
        else:
            return True
    return False


cdef int _fill(CharSet* s, codepoints) except -1:
    """Set ``s`` to the code points given (an iterable of ints)."""
    cdef list astral = []
    cdef uint32_t cp
    memset(s.bmp, 0, sizeof(s.bmp))
    free(s.astral_lo)
    free(s.astral_hi)
    s.astral_lo = s.astral_hi = NULL
    s.astral_n = 0
    for c in codepoints:
        cp = c
        if cp < 0x10000:
            s.bmp[cp >> 3] |= <uint8_t>(1 << (cp & 7))
        else:
            astral.append(cp)
    astral.sort()
    ranges = []
    for cp in astral:
        if ranges and ranges[len(ranges) - 1][1] + 1 == cp:
            ranges[len(ranges) - 1][1] = cp
        else:
            ranges.append([cp, cp])
    if ranges:
        s.astral_lo = <uint32_t*>malloc(len(ranges) * sizeof(uint32_t))
        s.astral_hi = <uint32_t*>malloc(len(ranges) * sizeof(uint32_t))
        if s.astral_lo == NULL or s.astral_hi == NULL:
            raise MemoryError()
        for i, (lo, hi) in enumerate(ranges):
            s.astral_lo[i] = lo
            s.astral_hi[i] = hi
        s.astral_n = len(ranges)
    return 0


cdef CharSet _fmt, _noise, _han
cdef uint32_t _fold_bmp[65536]   # 0: unchanged
cdef dict _fold_astral = {}
cdef bint _configured = False


def configure(fold, fmt, noise, han):
    """``fold``: {code point: one-character str} applied after lower-casing; ``fmt``,
    ``noise``, ``han``: iterables of code points."""
    global _fold_astral, _configured
    cdef uint32_t cp
    memset(_fold_bmp, 0, sizeof(_fold_bmp))
    _fold_astral = {}
    for key, value in fold.items():
        if len(value) != 1:
            raise ValueError("the folding table must map characters to characters")
        cp = key
        if cp < 0x10000:
            _fold_bmp[cp] = ord(value)
        else:
            _fold_astral[key] = ord(value)
    _fill(&_fmt, fmt)
    _fill(&_noise, noise)
    _fill(&_han, han)
    _configured = True


cdef inline uint32_t _fold(uint32_t cp) except? 0xFFFFFFFF:
    cdef uint32_t out
    if cp < 0x80:
        if 0x41 <= cp <= 0x5A:
            return cp + 32
        return cp
    if not (0x3400 <= cp < 0xA000):  # Han has no case
        cp = Py_UNICODE_TOLOWER(cp)
    if cp < 0x10000:
        out = _fold_bmp[cp]
        return out if out else cp
    if _fold_astral:
        return _fold_astral.get(cp, cp)
    return cp


cdef inline Py_ssize_t _utf8(uint8_t* out, uint32_t cp) noexcept nogil:
    if cp < 0x80:
        out[0] = <uint8_t>cp
        return 1
    if cp < 0x800:
        out[0] = <uint8_t>(0xC0 | (cp >> 6))
        out[1] = <uint8_t>(0x80 | (cp & 0x3F))
        return 2
    if cp < 0x10000:
        out[0] = <uint8_t>(0xE0 | (cp >> 12))
        out[1] = <uint8_t>(0x80 | ((cp >> 6) & 0x3F))
        out[2] = <uint8_t>(0x80 | (cp & 0x3F))
        return 3
    out[0] = <uint8_t>(0xF0 | (cp >> 18))
    out[1] = <uint8_t>(0x80 | ((cp >> 12) & 0x3F))
    out[2] = <uint8_t>(0x80 | ((cp >> 6) & 0x3F))
    out[3] = <uint8_t>(0x80 | (cp & 0x3F))
    return 4


cdef inline bint _lower_alpha(uint32_t c) noexcept nogil:
    return 0x61 <= c <= 0x7A


cdef inline bint _digit(uint32_t c) noexcept nogil:
    return 0x30 <= c <= 0x39


cdef Py_ssize_t _entity(const uint32_t* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Length of an entity reference ``&name;``, ``&#123;`` or ``&#x1f;`` at ``i`` (the
    text is lower-cased), or 0: the ``_ENTITY`` pattern of ``normalize.py``."""
    cdef Py_ssize_t j = i + 1, k
    if j >= n:
        return 0
    if p[j] == 0x23:  # '#'
        j += 1
        if j < n and p[j] == 0x78:  # 'x': hex digits
            j += 1
            k = j
            while j < n and j - k < 6 and (_digit(p[j]) or 0x61 <= p[j] <= 0x66):
                j += 1
        else:
            k = j
            while j < n and j - k < 7 and _digit(p[j]):
                j += 1
        if j == k:
            return 0
    else:
        k = j
        while j < n and j - k < 8 and _lower_alpha(p[j]):
            j += 1
        if j - k < 2:
            return 0
    if j < n and p[j] == 0x3B:  # ';'
        return j + 1 - i
    return 0


cdef Py_ssize_t _noise_run(const uint32_t* p, Py_ssize_t i, Py_ssize_t n, int units) noexcept nogil:
    """End of a run of at most ``units`` noise units starting at ``i`` that is followed by
    a Han character, or -1. A unit is one noise character or one entity reference; the
    first reading that works wins, as in the regular expression (character first)."""
    cdef Py_ssize_t e, r
    if i >= n or units == 0:
        return -1
    if _in(&_noise, p[i]):
        if i + 1 < n and _in(&_han, p[i + 1]):
            return i + 1
        r = _noise_run(p, i + 1, n, units - 1)
        if r >= 0:
            return r
    if p[i] == 0x26:  # '&'
        e = _entity(p, i, n)
        if e:
            if i + e < n and _in(&_han, p[i + e]):
                return i + e
            return _noise_run(p, i + e, n, units - 1)
    return -1


cdef class Copy:
    """One detection copy: ``text``, ``utf8`` and ``origin`` (int32 per character of
    ``text``: its offset in the original; ``None`` when nothing was deleted)."""

    cdef readonly str text
    cdef readonly bytes utf8
    cdef readonly object origin


cdef Copy _make(const uint32_t* chars, const int32_t* origin, Py_ssize_t n, bint deleted):
    cdef Copy c = Copy.__new__(Copy)
    cdef uint8_t* buf = <uint8_t*>malloc(n * 4 + 1)
    cdef Py_ssize_t k, size = 0
    if buf == NULL:
        raise MemoryError()
    try:
        for k in range(n):
            size += _utf8(buf + size, chars[k])
        c.utf8 = PyBytes_FromStringAndSize(<char*>buf, size)
    finally:
        free(buf)
    c.text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, chars, n)
    c.origin = memoryview(PyBytes_FromStringAndSize(<const char*>origin, n * 4)).cast("i") \
        if deleted else None
    return c


MAX_NOISE_RUN = 3


def copies(str text, bint plain=True, bint stripped=True):
    """``(plain, stripped)`` copies of ``text`` (``None`` for one not asked for), or
    ``None`` when the text needs Python's own ``str.lower`` (a capital sigma, whose
    lower case depends on its neighbours)."""
    if not _configured:
        raise RuntimeError("configure() first")
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef uint32_t* p = <uint32_t*>malloc((n + 1) * sizeof(uint32_t))
    cdef int32_t* po = <int32_t*>malloc((n + 1) * sizeof(int32_t))
    cdef uint32_t* s = NULL
    cdef int32_t* so = NULL
    cdef Py_ssize_t i, m = 0, k = 0, r
    cdef uint32_t cp
    cdef Copy plain_copy = None, stripped_copy = None
    try:
        if p == NULL or po == NULL:
            raise MemoryError()
        # Steps 1–2 and format characters: the plain copy.
        for i in range(n):
            cp = PyUnicode_READ(kind, data, i)
            if cp == 0x130:
                cp = 0x69  # İ: lower() would make two characters of it
            elif cp == 0x3A3:
                return None
            if _in(&_fmt, cp):
                continue
            p[m] = _fold(cp)
            po[m] = <int32_t>i
            m += 1
        if plain:
            plain_copy = _make(p, po, m, m != n)
        if stripped:
            s = <uint32_t*>malloc((m + 1) * sizeof(uint32_t))
            so = <int32_t*>malloc((m + 1) * sizeof(int32_t))
            if s == NULL or so == NULL:
                raise MemoryError()
            i = 0
            while i < m:
                s[k] = p[i]
                so[k] = po[i]
                k += 1
                if i + 1 < m and (_in(&_noise, p[i + 1]) or p[i + 1] == 0x26) \
                        and _in(&_han, p[i]):
                    r = _noise_run(p, i + 1, m, MAX_NOISE_RUN)
                    if r > 0:
                        i = r
                        continue
                i += 1
            stripped_copy = _make(s, so, k, k != n)
        return plain_copy, stripped_copy
    finally:
        free(p)
        free(po)
        free(s)
        free(so)


def match_chars(bytes utf8, list matches):
    """``(pattern, start, end)`` byte-offset matches in ``utf8`` as character offsets.

    One walk over the bytes: overlapping Aho–Corasick matches come in order of their
    end, and a start lies at most a term's length before its end, so each start is
    counted back from its end rather than from the beginning (any order still works:
    the walk goes back when it has to)."""
    cdef const uint8_t* u = <const uint8_t*><char*>utf8
    cdef Py_ssize_t n = len(utf8), pos = 0, chars = 0, start, end, k, back
    out = []
    for pid, b_start, b_end in matches:
        start = b_start
        end = b_end
        if not 0 <= start <= end <= n:
            raise ValueError("match outside the text")
        while pos < end:
            if (u[pos] & 0xC0) != 0x80:
                chars += 1
            pos += 1
        while pos > end:
            pos -= 1
            if (u[pos] & 0xC0) != 0x80:
                chars -= 1
        back = 0
        for k in range(start, end):
            if (u[k] & 0xC0) != 0x80:
                back += 1
        out.append((pid, chars - back, chars))
    return out
