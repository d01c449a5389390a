"""Loading govwatch's compiled modules, and the switch that turns them off.

Each compiled module (built by ``setup.py`` where a C compiler is present) has a
pure-Python twin in the module that imports it; the twin is the reference and the
fallback. ``GOVWATCH_PURE_PYTHON`` forces the twins, for benchmarks and for tracking
down a difference:

* ``GOVWATCH_PURE_PYTHON=1`` (or ``all``): every twin;
* ``GOVWATCH_PURE_PYTHON=normalize``: only the named ones (comma-separated; the name is
  the twin's module, ``detectors.terms.normalize`` → ``normalize``).

Read once, when the twin is imported (the detection worker inherits the environment).
"""

from __future__ import annotations

import importlib
import logging
import os
from types import ModuleType

ENV = "GOVWATCH_PURE_PYTHON"
_ALL = frozenset({"1", "all", "yes", "true"})
_NONE = frozenset({"", "0", "no", "false"})


def forced_python(twin: str) -> bool:
    """Whether ``GOVWATCH_PURE_PYTHON`` asks for the Python twin ``twin``."""
    value = os.environ.get(ENV, "").strip().lower()
    if value in _NONE:
        return False
    return value in _ALL or twin in {part.strip() for part in value.split(",")}


def load(module: str, twin: str, logger: logging.Logger) -> ModuleType | None:
    """The compiled ``module``, or ``None`` where the twin ``twin`` must do the work:
    switched off (logged at INFO) or not built (a warning: scans are slower)."""
    if forced_python(twin):
        logger.info("%s=%s：使用 Python 实现（%s）", ENV, os.environ[ENV], twin)
        return None
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        logger.warning("未编译 C 扩展 %s（%s），使用较慢的 Python 实现（%s）", module, exc, twin)
    except Exception as exc:  # built, but unusable here (e.g. another ABI)
        logger.error("无法加载 C 扩展 %s（%s），使用较慢的 Python 实现（%s）", module, exc, twin)
    return None
