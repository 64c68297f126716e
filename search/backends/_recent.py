"""The opportunities written since the features' base, as tantivy documents.

Publishing an offer writes the features' delta (search.backends._features) and appends the
offer's tantivy document (JSON) here; tantivy itself receives the documents only when a
merge folds the delta into a new base. A tantivy commit costs some twenty fsyncs whatever
its size, an append one. Readers take text matches and payloads of the delta's rows from
here and everything else from tantivy.

One log per base, in the features directory, a line per document written:
"<seq> <key> <json>", where seq is the delta's sequence number of the write. A merge
copies the lines its base did not absorb into the new base's log before the delta names
that base; the previous base's log stays for readers still on it, like the base itself.
"""

import base64
import os
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import orjson

from search.backends._features import Delta
from search.types import OpportunityDoc

PREFIX = "recent-"


class Recent(NamedTuple):
    """One document of the log: its text field (terms separated by spaces), the document
    its payload holds, and the JSON tantivy will receive."""

    text: str
    doc: OpportunityDoc
    json: str


def _parsed(json: str) -> Recent:
    fields = orjson.loads(json)
    payload = orjson.loads(base64.b64decode(fields["payload"]))
    return Recent(fields["text"], OpportunityDoc.from_payload(payload), json)


class _Read:
    """What this process read of one log: the lines by (key, seq), up to `offset`."""

    def __init__(self, inode: int) -> None:
        self.inode = inode
        self.offset = 0
        self.lines: dict[tuple[int, int], str] = {}
        self.parsed: dict[tuple[int, int], Recent] = {}


class RecentLog:
    """The logs of a features directory. Writers hold the backend's lock."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._read: dict[str, _Read] = {}
        self._documents: tuple[Delta, dict[int, Recent]] | None = None
        self._reading = threading.Lock()

    def path(self, base: str) -> Path:
        return self.directory / f"{PREFIX}{base}"

    def append(self, base: str, seq: int, documents: Sequence[tuple[int, str]]) -> int:
        """Add the documents of write `seq` (on disk before the delta names the write);
        returns the log's size in bytes."""
        if not documents:
            return self._size(base)
        text = "".join(f"{seq} {key} {json}\n" for key, json in documents)
        self.directory.mkdir(parents=True, exist_ok=True)
        with self.path(base).open("ab") as log:
            log.write(text.encode())
            log.flush()
            os.fdatasync(log.fileno())
            return log.tell()

    def _size(self, base: str) -> int:
        try:
            return self.path(base).stat().st_size
        except FileNotFoundError:
            return 0

    def documents(self, delta: Delta) -> dict[int, Recent]:
        """The documents of the delta's rows, by key. A row whose line is missing (a log
        lost by hand) is left out."""
        with self._reading:  # a background merge reads too
            return self._documents_of(delta)

    def _documents_of(self, delta: Delta) -> dict[int, Recent]:
        if self._documents is not None and self._documents[0] is delta:
            return self._documents[1]  # the same delta object: nothing written since
        wanted = list(zip(delta.rows.keys.tolist(), delta.row_seq.tolist(), strict=True))
        if not wanted:
            return {}
        read = self._caught_up(delta.base, wanted)
        found = {}
        for key, seq in wanted:
            line = read.lines.get((key, seq))
            if line is None:
                continue
            recent = read.parsed.get((key, seq))
            if recent is None:
                recent = read.parsed[(key, seq)] = _parsed(line)
            found[key] = recent
        self._documents = (delta, found)
        return found

    def _caught_up(self, base: str, wanted: Iterable[tuple[int, int]]) -> _Read:
        """This process's reading of `base`'s log, read on if a wanted line is not in it."""
        read = self._read.get(base)
        if read is not None and all(pair in read.lines for pair in wanted):
            return read
        try:
            with self.path(base).open("rb") as log:
                inode = os.fstat(log.fileno()).st_ino
                if read is None or read.inode != inode:
                    read = _Read(inode)
                log.seek(read.offset)
                tail = log.read()
        except FileNotFoundError:
            return read or _Read(0)
        complete = tail[: tail.rfind(b"\n") + 1]  # a line being appended is read next time
        read.offset += len(complete)
        for line in complete.split(b"\n")[:-1]:  # not splitlines: JSON may hold U+2028
            seq, key, json = line.decode().split(" ", 2)
            read.lines[(int(key), int(seq))] = json
        self._read = {base: read}  # the previous base's reading is dropped
        return read

    def carry(self, delta: Delta, new_base: str, merged_seq: int) -> None:
        """Before a merge's swap: the new base's log holds the lines of `delta` (the
        current one) written after `merged_seq`."""
        later = delta.after(merged_seq, new_base)
        documents = self.documents(delta)
        lines = [
            f"{seq} {key} {documents[key].json}\n"
            for key, seq in zip(later.rows.keys.tolist(), later.row_seq.tolist(), strict=True)
            if key in documents
        ]
        temporary = self.directory / f".{PREFIX}{new_base}.{os.getpid()}.tmp"
        with temporary.open("wb") as log:
            log.write("".join(lines).encode())
            log.flush()
            os.fdatasync(log.fileno())
        temporary.replace(self.path(new_base))

    def prune(self, keep: set[str]) -> None:
        """Delete the logs of the other bases (including the one of no base)."""
        for path in self.directory.glob(f"{PREFIX}*"):
            if path.name[len(PREFIX) :] not in keep:
                path.unlink(missing_ok=True)
