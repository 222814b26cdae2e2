#!/usr/bin/env bash
# Rebuilds NotoSansSC-Subset.otf: GB2312, Latin-1 and every character used by shequ's sources,
# assets and sample data. Needs Debian's fonts-noto-cjk and `pip install fonttools`.
# Run from the repository root: bash assets/fonts/make-subset.sh
set -euo pipefail
python3 - <<'PY' > /tmp/shequ-font-chars.txt
import glob
chars = set()
for high in range(0xA1, 0xF8):
    for low in range(0xA1, 0xFF):
        try:
            chars.add(bytes([high, low]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(code) for code in range(0x20, 0x17F))
chars.update("–—‘’“”…·•×÷±≤≥≠→←↑↓⇄°²³µ¥€①②③④⑤《》「」『』【】、。，；：？！（）％＋－＝＜＞～✓✗★☆▲▼●○■□◆◇")
for pattern in ["sample_data/**/*.geojson", "assets/**/*.csv", "assets/**/*.toml", "src/**/*.rs", "core/src/**/*.rs"]:
    for path in glob.glob(pattern, recursive=True):
        chars.update(open(path, encoding="utf-8").read())
print("".join(sorted(c for c in chars if ord(c) >= 0x20)), end="")
PY
# Face 2 of the collection is Simplified Chinese (SC): Chinese, not Japanese, glyph forms.
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file=/tmp/shequ-font-chars.txt --layout-features='*' --no-hinting \
  --output-file=assets/fonts/NotoSansSC-Subset.otf
