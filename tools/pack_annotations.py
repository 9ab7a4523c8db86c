"""Pack an annotator's folder into an annotation set that can be committed.

The annotator's folder holds the articles (``corpus/*.txt``, cut from a
one-article-per-line corpus in ``../shared``) and ``gold.json``, ``evidence.json``
(clauses) and ``entities.json`` in the format of ``../shared/gold/GUIDE.md``. The set
keeps everything but the text: clauses become offsets, articles become line numbers
and checksums (see ``extractors/relations/annotated.py``).

    python tools/pack_annotations.py ANNOTATOR_DIR -o extractors/relations/annotations/NAME
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.relations.annotated import pack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="annotator's folder (corpus/ and gold files)")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--shared", type=Path, default=Path("..") / "shared")
    parser.add_argument("--corpus", default="corpus/news-ar.txt.xz")
    args = parser.parse_args()
    counts = pack(args.folder / "corpus", args.folder, args.shared, args.corpus, args.output)
    print(f"{args.output}: clauses located {counts['located']}, not found {counts['not found']}")


if __name__ == "__main__":
    main()
