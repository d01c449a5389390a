"""Compiled parts of govwatch (the metadata is in pyproject.toml).

Two Cython modules do the per-character work of the content pipeline: the visible-text
walk over lxml's tree and the detection copies of the term matcher. Both have a pure
Python twin that the tests compare them with, and that is used (with a warning) where
the extension could not be built.
"""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = [
    Extension(
        "detectors._page_text", ["detectors/_page_text.pyx"], include_dirs=lxml.get_include()
    ),
    Extension("detectors.terms._normalize", ["detectors/terms/_normalize.pyx"]),
]

setup(ext_modules=cythonize(extensions, compiler_directives={"language_level": 3}))
