# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False, cdivision=True
"""Both detection copies of a text in one pass of C (see ``normalize`` for the rules).

``normalize.py`` states the steps and keeps a Python implementation of them (regular
expressions and ``str.translate``); this module does the same per character, in C.
The plain copy comes as ``str`` with, when format characters were deleted, an
``int32`` map from each of its characters to the original offset. The noise-stripped
copy comes as UTF-8 ``bytes`` (what the Aho–Corasick automaton reads: ``ahocorasick_rs``
would otherwise encode every copy again) with an ``int32`` map into the plain copy;
its ``str`` is decoded only when a match needs it. The tests compare it with the
Python implementation on pages and on random text.

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
    Py_UNICODE_TOLOWER,
)
from libc.stdint cimport int32_t, uint8_t, uint16_t, uint32_t
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
# Every BMP character's fate in the plain copy, in one look-up: what it becomes after
# lower-casing and folding, or DELETE (a format character) or PYTHON (the capital
# sigma, whose lower case depends on its neighbours: the text goes to Python).
cdef extern from *:
    """
    #define GW_DELETE 0xFFFFFFFFu
    #define GW_PYTHON 0xFFFFFFFEu
    """
    const uint32_t DELETE "GW_DELETE"
    const uint32_t PYTHON "GW_PYTHON"
cdef uint32_t _bmp[65536]
cdef dict _fold_astral = {}
cdef bint _configured = False
cdef int _max_noise_run = 0


def configure(fold, fmt, noise, han, int max_noise_run):
    """``fold``: {code point: one-character str} applied after lower-casing; ``fmt``,
    ``noise``, ``han``: iterables of code points; ``max_noise_run``: the longest run of
    noise units deleted between two Han characters."""
    global _fold_astral, _configured, _max_noise_run
    _max_noise_run = max_noise_run
    cdef uint32_t cp, lower
    _fold_astral = {}
    for key, value in fold.items():
        if len(value) != 1:
            raise ValueError("the folding table must map characters to characters")
        if key > 0xFFFF:
            _fold_astral[key] = ord(value)
    _fill(&_fmt, fmt)
    _fill(&_noise, noise)
    _fill(&_han, han)
    for cp in range(0x10000):
        if _in(&_fmt, cp):
            _bmp[cp] = DELETE
            continue
        lowered = chr(cp).lower() if cp != 0x130 else "i"  # İ: two characters in Python
        lower = ord(lowered) if len(lowered) == 1 else cp
        value = fold.get(lower)
        _bmp[cp] = ord(value) if value is not None else lower
    _bmp[0x3A3] = PYTHON
    _configured = True


cdef inline uint32_t _fold_astral_cp(uint32_t cp) except? 0xFFFFFFFF:
    """Lower case and folding above the BMP (rare: a dict look-up, in Python)."""
    if _in(&_fmt, cp):
        return DELETE
    cp = Py_UNICODE_TOLOWER(cp)
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
    """One detection copy, with the interface of ``normalize.Normalized``.

    The plain copy has ``text`` and, when format characters were deleted, the original
    offset of each of its characters. The noise-stripped copy is kept as ``utf8``
    (what the automaton reads; ``text`` is decoded from it when a match needs it) and
    the offset of each of its characters in the plain copy, when noise was deleted."""

    cdef str _text
    cdef readonly bytes utf8
    cdef bytes _offsets  # int32 per character: original (plain) or plain (stripped) offset
    cdef Copy _plain     # the plain copy, for a stripped one

    @property
    def text(self):
        if self._text is None:
            self._text = self.utf8.decode("utf-8")
        return self._text

    cdef Py_ssize_t _step(self, Py_ssize_t i) except -1:
        """One step back: to the original (plain copy) or to the plain copy (stripped)."""
        cdef const int32_t* offsets
        cdef Py_ssize_t n
        if self._offsets is None:
            return i
        offsets = <const int32_t*><char*>self._offsets
        n = len(self._offsets) // 4
        if i < n:
            return offsets[i]
        return (offsets[n - 1] + 1 + i - n) if n else i

    cpdef Py_ssize_t position(self, Py_ssize_t i) except -1:
        """Original offset of the copy's character ``i``."""
        i = self._step(i)
        return i if self._plain is None else self._plain._step(i)

    def to_original(self, Py_ssize_t start, Py_ssize_t end):
        """The original span whose characters make up copy ``[start, end)`` (see
        ``Normalized.to_original``)."""
        if end <= start:
            start = self.position(start)
            return start, start
        return self.position(start), self.position(end - 1) + 1

    def to_plain(self, Py_ssize_t start, Py_ssize_t end):
        """The span of the plain copy whose characters make up ``[start, end)`` here."""
        if self._plain is None or end <= start:
            return start, end
        return self._step(start), self._step(end - 1) + 1


ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef Py_ssize_t _fold_into(const char_t* data, Py_ssize_t n, uint32_t* p, int32_t* po) except -2:
    """Steps 1–2 and the format characters: the plain copy into ``p``/``po``; its length,
    or -1 when the text must go to Python."""
    cdef Py_ssize_t i, m = 0
    cdef uint32_t cp, v
    for i in range(n):
        cp = data[i]
        if cp < 0x10000:
            v = _bmp[cp]
        else:
            v = _fold_astral_cp(cp)
        if v >= PYTHON:
            if v == PYTHON:
                return -1
            continue
        p[m] = v
        po[m] = <int32_t>i
        m += 1
    return m


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
    cdef int32_t* sp = NULL
    cdef uint8_t* u = NULL
    cdef Py_ssize_t i, m, k = 0, r, size = 0
    cdef uint32_t cp
    cdef Copy plain_copy = None, stripped_copy = None
    try:
        if p == NULL or po == NULL:
            raise MemoryError()
        if kind == PyUnicode_1BYTE_KIND:
            m = _fold_into(<uint8_t*>data, n, p, po)
        elif kind == PyUnicode_2BYTE_KIND:
            m = _fold_into(<uint16_t*>data, n, p, po)
        else:
            m = _fold_into(<uint32_t*>data, n, p, po)
        if m < 0:
            return None
        plain_copy = Copy.__new__(Copy)
        plain_copy._text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, p, m) \
            if plain else None
        plain_copy._offsets = PyBytes_FromStringAndSize(<char*>po, m * 4) if m != n else None
        if stripped:
            sp = <int32_t*>malloc((m + 1) * sizeof(int32_t))
            u = <uint8_t*>malloc(m * 4 + 1)
            if sp == NULL or u == NULL:
                raise MemoryError()
            i = 0
            while i < m:
                cp = p[i]
                sp[k] = <int32_t>i
                k += 1
                if cp < 0x80:
                    u[size] = <uint8_t>cp
                    size += 1
                else:
                    size += _utf8(u + size, cp)
                if i + 1 < m and (_in(&_noise, p[i + 1]) or p[i + 1] == 0x26) \
                        and _in(&_han, cp):
                    r = _noise_run(p, i + 1, m, _max_noise_run)
                    if r > 0:
                        i = r
                        continue
                i += 1
            stripped_copy = Copy.__new__(Copy)
            stripped_copy.utf8 = PyBytes_FromStringAndSize(<char*>u, size)
            stripped_copy._offsets = PyBytes_FromStringAndSize(<char*>sp, k * 4) \
                if k != m else None
            stripped_copy._plain = plain_copy
        return (plain_copy if plain else None), stripped_copy
    finally:
        free(p)
        free(po)
        free(sp)
        free(u)


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
