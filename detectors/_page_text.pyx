# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The visible-text walk of ``detectors.page_text`` in C, over libxml2's own nodes.

The Python walk (``page_text._read`` and ``_clean``) pays for one lxml proxy object per
element and then for several passes of ``str`` methods; this one follows the
``children``/``next`` pointers of the tree lxml already built, decides an element's kind
with a hash look-up of its name, and writes the final text in the same pass:
whitespace collapsed as ``str.split`` does (the same ``Py_UNICODE_ISSPACE``), block
breaks as single newlines, image alt texts on their own lines with their spans
recorded. The result is exactly what the Python functions give for the same tree; the
tests compare the two on every page they have and on generated markup. Python objects
are made only where the rules are Python's own: the hiding-style regex (only when a
``style`` could match it), an image's ``alt`` and a button's ``type``. The ng-hide
class is looked for in C (a class value made of several nodes goes to the regex).

Nothing here modifies the tree, keeps a node or keeps state between calls (the tag
table is filled once, at import, by ``page_text``).
"""

from cpython.object cimport PyObject
from cpython.unicode cimport PyUnicode_DecodeUTF8, Py_UNICODE_ISSPACE
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport strcmp, strlen
from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element
from lxml.includes.tree cimport xmlAttr, xmlNode

cdef enum Kind:
    INLINE = 0
    SKIP = 1
    BLOCK = 2
    IMG = 3
    INPUT = 4

# Open-addressing table of tag names (bytes kept alive in _names) → kind.
cdef enum:
    TABLE_SIZE = 512
cdef const char* _tag_names[TABLE_SIZE]
cdef int _tag_kinds[TABLE_SIZE]
_names = []

cdef object _hiding = None  # page_text's compiled hiding-style pattern (.search)
cdef object _HIDING_CLASS = None  # page_text's ng-hide class pattern (.search)
cdef object _buttons = frozenset()
cdef dict _scrub = {}  # page_text's translate table for its marker characters


cdef inline unsigned int _hash(const unsigned char* s) noexcept nogil:
    cdef unsigned int h = 2166136261u
    while s[0]:
        h = (h ^ s[0]) * 16777619u
        s += 1
    return h


cdef int _kind(const unsigned char* name) noexcept nogil:
    cdef unsigned int i = _hash(name) & (TABLE_SIZE - 1)
    while _tag_names[i] != NULL:
        if strcmp(_tag_names[i], <const char*>name) == 0:
            return _tag_kinds[i]
        i = (i + 1) & (TABLE_SIZE - 1)
    return INLINE


def configure(kinds, hiding_search, hiding_class_search, buttons, scrub):
    """Fill the tag table: ``kinds`` maps tag → one of "skip", "block", "img", "input";
    keep page_text's hiding-style and hiding-class searches, button input types and
    marker scrub table."""
    global _hiding, _HIDING_CLASS, _buttons, _scrub
    codes = {"skip": SKIP, "block": BLOCK, "img": IMG, "input": INPUT}
    cdef unsigned int i
    cdef bytes name
    for i in range(TABLE_SIZE):
        _tag_names[i] = NULL
    _names.clear()
    if len(kinds) > TABLE_SIZE // 2:
        raise ValueError("too many tags for the table")
    for tag, kind in kinds.items():
        name = tag.encode("utf-8")
        _names.append(name)
        i = _hash(<const unsigned char*>name) & (TABLE_SIZE - 1)
        while _tag_names[i] != NULL:
            i = (i + 1) & (TABLE_SIZE - 1)
        _tag_names[i] = name
        _tag_kinds[i] = codes[kind]
    _hiding = hiding_search
    _HIDING_CLASS = hiding_class_search
    _buttons = buttons
    _scrub = dict(scrub)


cdef struct Buf:
    char* data
    Py_ssize_t size
    Py_ssize_t cap
    Py_ssize_t chars      # characters written so far
    bint any_content      # the text has a character
    bint line_content     # the current line has a character
    bint need_newline     # a block break since the last character
    bint need_space       # whitespace since the last character of this line
    Py_ssize_t seg_start  # where the current segment's first character is, or -1
    int seg_source        # the current segment's source (TITLE, META, BODY, ALT)
    PyObject* segments    # list of (start, end, source) of the finished segments (borrowed)


cdef int _grow(Buf* b, Py_ssize_t extra) except -1:
    cdef Py_ssize_t cap = b.cap * 2
    cdef char* data
    if cap < b.size + extra:
        cap = b.size + extra + 4096
    data = <char*>realloc(b.data, cap)
    if data == NULL:
        raise MemoryError()
    b.data = data
    b.cap = cap
    return 0


cdef inline void _break(Buf* b) noexcept nogil:
    """A block boundary: the next character starts a new line."""
    b.need_newline = True
    b.line_content = False
    b.need_space = False


cdef enum Source:
    TITLE = 0
    META = 1
    BODY = 2
    ALT = 3

_SOURCES = ("title", "meta", "body", "alt")


cdef int _segment(Buf* b, int source) except -1:
    """End the current segment (if it has a character) and start one of ``source``."""
    if b.seg_start >= 0:
        (<list>b.segments).append((b.seg_start, b.chars, _SOURCES[b.seg_source]))
    b.seg_start = -1
    b.seg_source = source
    return 0


cdef inline int _before_char(Buf* b) except -1:
    """Write the pending separator before a visible character."""
    if b.size + 2 > b.cap:
        _grow(b, 2)
    if b.need_newline:
        if b.any_content:
            b.data[b.size] = 10
            b.size += 1
            b.chars += 1
        b.need_newline = False
    elif b.need_space and b.line_content:
        b.data[b.size] = 32
        b.size += 1
        b.chars += 1
    b.need_space = False
    b.line_content = True
    b.any_content = True
    if b.seg_start < 0:
        b.seg_start = b.chars
    return 0


cdef inline Py_ssize_t _space_len(const unsigned char* s) noexcept:
    """Byte length of the whitespace character (``str.isspace``) at ``s``, else 0.
    Non-ASCII whitespace starts with C2, E1, E2 or E3 (U+0085 … U+3000)."""
    cdef unsigned char c = s[0]
    cdef Py_UCS4 cp
    if c < 0x80:
        return 1 if (c == 32 or 9 <= c <= 13 or 28 <= c <= 31) else 0
    if c == 0xC2:
        if (s[1] & 0xC0) != 0x80:
            return 0
        cp = ((c & 0x1F) << 6) | (s[1] & 0x3F)
        return 2 if Py_UNICODE_ISSPACE(cp) else 0
    if 0xE1 <= c <= 0xE3:
        if (s[1] & 0xC0) != 0x80 or (s[2] & 0xC0) != 0x80:
            return 0
        cp = ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F)
        return 3 if Py_UNICODE_ISSPACE(cp) else 0
    return 0


cdef int _put_text(Buf* b, const unsigned char* s) except -1:
    """Append page text: whitespace runs become one space within a line (none at its
    ends), the marker bytes 0x00–0x02 are dropped (the Python walk scrubs them too;
    UTF-8 never uses them inside a multi-byte character)."""
    cdef Py_ssize_t n = strlen(<const char*>s)
    cdef Py_ssize_t k = 0, w
    cdef unsigned char c
    if b.size + n + 2 > b.cap:
        _grow(b, n + 2)
    while k < n:
        c = s[k]
        if c <= 2:
            k += 1
            continue
        w = _space_len(s + k)
        if w:
            b.need_space = True
            k += w
            continue
        _before_char(b)
        b.data[b.size] = <char>c
        b.size += 1
        if (c & 0xC0) != 0x80:
            b.chars += 1
        k += 1
        # the continuation bytes of a multi-byte character
        while k < n and (s[k] & 0xC0) == 0x80:
            b.data[b.size] = <char>s[k]
            b.size += 1
            k += 1
    return 0


cdef int _put_str(Buf* b, str text) except -1:
    """Append a Python string as page text."""
    cdef bytes data = text.encode("utf-8", "surrogatepass")
    return _put_text(b, <const unsigned char*><char*>data)


cdef xmlAttr* _attr(xmlNode* node, const char* name) noexcept nogil:
    """The attribute without namespace named ``name`` (what ``el.get(name)`` reads)."""
    cdef xmlAttr* a = node.properties
    while a != NULL:
        if a.ns == NULL and strcmp(<const char*>a.name, name) == 0:
            return a
        a = a.next
    return NULL


cdef object _value(xmlAttr* a):
    """The attribute's value as ``str`` (its text children joined, as libxml2 does)."""
    cdef xmlNode* c = a.children
    if c == NULL:
        return ""
    if c.next == NULL and c.type == tree.XML_TEXT_NODE:
        return (<bytes>c.content).decode("utf-8")
    parts = []
    while c != NULL:
        if c.type == tree.XML_TEXT_NODE and c.content != NULL:
            parts.append((<bytes>c.content).decode("utf-8"))
        c = c.next
    return "".join(parts)


cdef bint _may_hide(const unsigned char* s) noexcept nogil:
    """Whether a style value could match the hiding pattern: it holds "none" or
    "hidden" in any ASCII case, or a non-ASCII byte (``re.IGNORECASE`` also folds a few
    non-ASCII letters such as U+0131 into ASCII ones)."""
    cdef unsigned char c
    cdef Py_ssize_t i = 0
    while s[i]:
        c = s[i]
        if c >= 0x80:
            return True
        if (c | 0x20) == b'n' and (s[i + 1] | 0x20) == b'o' and (s[i + 2] | 0x20) == b'n' \
                and (s[i + 3] | 0x20) == b'e':
            return True
        if (c | 0x20) == b'h' and (s[i + 1] | 0x20) == b'i' and (s[i + 2] | 0x20) == b'd' \
                and (s[i + 3] | 0x20) == b'd' and (s[i + 4] | 0x20) == b'e' \
                and (s[i + 5] | 0x20) == b'n':
            return True
        i += 1
    return False


cdef bint _is_space(unsigned char c) noexcept nogil:
    return c == b' ' or c == b'\t' or c == b'\n' or c == 0x0c or c == b'\r'


cdef bint _has_ng_hide(const unsigned char* s) noexcept nogil:
    """Whether the class list ``s`` holds the token ``ng-hide`` (ASCII-whitespace split)."""
    cdef const char* token = "ng-hide"
    cdef Py_ssize_t n = 7, i = 0, k
    while s[i]:
        if (i == 0 or _is_space(s[i - 1])):
            k = 0
            while k < n and s[i + k] == <unsigned char>token[k]:
                k += 1
            if k == n and (s[i + n] == 0 or _is_space(s[i + n])):
                return True
        i += 1
    return False


cdef bint _hidden(xmlNode* node) except -1:
    cdef xmlAttr* a
    if _attr(node, "hidden") != NULL:
        return True
    a = _attr(node, "class")
    if a != NULL and a.children != NULL:
        if a.children.next == NULL and a.children.type == tree.XML_TEXT_NODE:
            if a.children.content != NULL and _has_ng_hide(a.children.content):
                return True
        elif _HIDING_CLASS(_value(a)) is not None:
            return True
    a = _attr(node, "style")
    if a == NULL:
        return False
    if a.children != NULL and a.children.next == NULL and a.children.type == tree.XML_TEXT_NODE:
        if not _may_hide(a.children.content):
            return False
    style = _value(a)
    return bool(style) and _hiding(style) is not None


cdef int _walk(xmlNode* el, Buf* out) except -1:
    cdef xmlNode* c = el.children
    cdef int kind
    cdef xmlAttr* a
    while c != NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            if c.content != NULL:
                _put_text(out, c.content)
        elif c.type == tree.XML_ELEMENT_NODE:
            kind = _kind(c.name) if c.ns == NULL else INLINE
            if kind == SKIP or _hidden(c):
                pass
            elif kind == INLINE:
                _walk(c, out)
            elif kind == BLOCK:
                _break(out)
                _walk(c, out)
                _break(out)
            elif kind == IMG:
                a = _attr(c, "alt")
                if a != NULL:
                    alt = _value(a).translate(_scrub).strip()
                    if alt:  # on a line of its own, a segment of its own
                        _break(out)
                        _segment(out, ALT)
                        _put_str(out, alt)
                        _segment(out, BODY)
                        _break(out)
            else:  # an input: buttons show their value
                a = _attr(c, "type")
                if (_value(a).lower() if a != NULL else "") in _buttons:
                    a = _attr(c, "value")
                    if a != NULL:
                        value = _value(a)
                        if value:
                            _break(out)
                            _put_str(out, value)
                            _break(out)
        c = c.next
    return 0


cdef inline bint _named(xmlNode* node, const char* name) noexcept:
    return node.type == tree.XML_ELEMENT_NODE and node.ns == NULL \
        and strcmp(<const char*>node.name, name) == 0


cdef xmlNode* _child(xmlNode* node, const char* name) noexcept:
    """The first child element called ``name`` (``iterchildren(name)``)."""
    cdef xmlNode* c = node.children
    while c != NULL and not _named(c, name):
        c = c.next
    return c


cdef xmlNode* _descendant(xmlNode* node, const char* name, bint self_too) noexcept:
    """The first element called ``name`` in document order (``iter(name)``)."""
    cdef xmlNode* c
    cdef xmlNode* found
    if self_too and _named(node, name):
        return node
    c = node.children
    while c != NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            found = _descendant(c, name, True)
            if found != NULL:
                return found
        c = c.next
    return NULL


cdef int _put_all_text(Buf* b, xmlNode* node) except -1:
    """Every text node under ``node`` in document order (``itertext``)."""
    cdef xmlNode* c = node.children
    while c != NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            if c.content != NULL:
                _put_text(b, c.content)
        elif c.type == tree.XML_ELEMENT_NODE:
            _put_all_text(b, c)
        c = c.next
    return 0


cdef object _description(xmlNode* root):
    """The content of the first ``<meta name="description">`` in the head (or in the
    document when it has no head), as ``page_text._description`` finds it, or ``None``."""
    cdef xmlNode* head = _child(root, "head")
    cdef xmlNode* scope = head if head != NULL else root
    return _meta_description(scope, True)


cdef object _meta_description(xmlNode* node, bint self_too):
    cdef xmlNode* c
    cdef xmlAttr* a
    if self_too and _named(node, "meta"):
        a = _attr(node, "name")
        if a != NULL and _value(a).strip().lower() == "description":
            a = _attr(node, "content")
            return _value(a) if a != NULL else ""
    c = node.children
    while c != NULL:
        if c.type == tree.XML_ELEMENT_NODE:
            found = _meta_description(c, True)
            if found is not None:
                return found
        c = c.next
    return None


cdef xmlNode* _body(xmlNode* root) noexcept:
    """``page_text._body``: the ``<body>``, or the root for fragments and odd documents."""
    cdef xmlNode* body
    if _named(root, "body"):
        return root
    body = _child(root, "body")
    if body == NULL and _named(root, "html"):
        body = _descendant(root, "body", False)
    return body if body != NULL else root


def visible(_Element root):
    """``(text, segments)`` of the page under ``root``: what ``page_text.visible_text``
    computes in Python (title, meta description, then the body with its alt texts)."""
    cdef Buf out
    cdef xmlNode* node = root._c_node
    cdef xmlNode* head
    cdef xmlNode* title = NULL
    cdef xmlNode* body
    out.data = NULL
    out.size = out.cap = out.chars = 0
    out.any_content = out.line_content = out.need_newline = out.need_space = False
    out.seg_start = -1
    out.seg_source = TITLE
    segments = []
    out.segments = <PyObject*>segments
    try:
        _grow(&out, 1 << 16)
        head = node.children
        while head != NULL and title == NULL:  # the first title of any head
            if _named(head, "head"):
                title = _child(head, "title")
            head = head.next
        if title == NULL:  # malformed pages put <title> anywhere
            title = _descendant(node, "title", True)
        if title != NULL:
            _put_all_text(&out, title)
        _break(&out)
        _segment(&out, META)
        description = _description(node)
        if description:
            _put_str(&out, description)
        _break(&out)
        _segment(&out, BODY)
        body = _body(node)
        if body.type == tree.XML_ELEMENT_NODE and (body.ns != NULL or _kind(body.name) != SKIP):
            _walk(body, &out)
        _segment(&out, BODY)
        return PyUnicode_DecodeUTF8(out.data, out.size, "strict"), segments
    finally:
        free(out.data)
