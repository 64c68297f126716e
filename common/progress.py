"""Progress of long work (demo data, index rebuilds): one protocol, and the tqdm bar the
management commands draw on their stderr.

Long functions take a `progress` factory: `progress(label, total)` returns a Bar that is
told `update(n)` as rows are done and `close()` at the end. The default draws nothing.
"""

from collections.abc import Callable, Mapping
from typing import Protocol

from django.core.management.base import OutputWrapper


class Bar(Protocol):
    def update(self, n: int) -> object: ...

    def close(self) -> object: ...


Progress = Callable[[str, int], Bar]


class _NoBar:
    def update(self, n: int) -> None:
        return None

    def close(self) -> None:
        return None


def no_progress(label: str, total: int) -> Bar:
    return _NoBar()


class _TqdmFile:
    """Lets tqdm redraw its bar in place through a command's OutputWrapper."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

    def flush(self) -> None:
        self._wrapper.flush()


def command_progress(
    stream: OutputWrapper, *, quiet: bool, labels: Mapping[str, str] | None = None
) -> Progress:
    """Bars drawn on a management command's `stream` (nothing when `quiet`); `labels`
    turns a label the work gives into the one shown."""
    from tqdm import tqdm

    def progress(label: str, total: int) -> Bar:
        shown = (labels or {}).get(label, label)
        bar: Bar = tqdm(
            total=total, desc=shown, unit=" righe", file=_TqdmFile(stream), disable=quiet
        )
        return bar

    return progress
