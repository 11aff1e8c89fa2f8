"""Screenshot an HTML briefing in headless Chromium (the README's docs/briefing.png).

Usage (from the repository root; needs Debian's chromium and chromium-driver)::

    python scripts/seed_outputs.py --out /tmp/seeds-out
    python scripts/screenshot.py /tmp/seeds-out/briefing.html docs/briefing.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Load the page from its file and save a PNG of the top of it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.support import chromium

    with chromium.chromium(args.width, args.height) as driver:
        driver.get(args.page.resolve().as_uri())  # type: ignore[attr-defined]
        args.png.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(args.png))  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main())
