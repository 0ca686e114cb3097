#!/bin/sh
# Write the sample's June 2021 page (`report data-samples/luoyang-2021.csv --period 2021-06
# --format html`) and render it with headless Chromium at desktop and phone width, to look at:
# target/report.html, target/report-desktop.png, target/report-phone.png.
#
#   scripts/render-html.sh            # debug build (fast to build); files go to ./target/
#   scripts/render-html.sh --release  # the release binary
#   CASEMETRICS=path/to/casemetrics scripts/render-html.sh   # a binary built already
#
# Needs Chromium (Debian: apt-get install -y chromium) and a CJK font for the Chinese labels
# (fonts-noto-cjk). The binary is built where CARGO_TARGET_DIR says; the pages and PNGs
# always go to ./target/.
set -eu
cd "$(dirname "$0")/.."
profile="${1:-}"
out=target
mkdir -p "$out"
page="$(realpath "$out")/report.html"
if [ -n "${CASEMETRICS:-}" ]; then
    "$CASEMETRICS" report data-samples/luoyang-2021.csv --period 2021-06 --format html -o "$page"
else
    cargo run --quiet $profile -- report data-samples/luoyang-2021.csv --period 2021-06 --format html -o "$page"
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
    echo "render-html.sh: no chromium on PATH (Debian: apt-get install -y chromium)" >&2
    exit 1
fi
shoot() { # NAME WIDTH HEIGHT
    # A fresh profile each time: no state carried between runs, nothing written to $HOME.
    profile_dir="$(mktemp -d)"
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --user-data-dir="$profile_dir" \
        --hide-scrollbars --force-device-scale-factor=1 \
        --screenshot="$out/report-$1.png" --window-size="$2,$3" "file://$page" >/dev/null 2>&1
    rm -rf "$profile_dir"
    echo "$out/report-$1.png (${2}x$3)"
}
echo "$page"
shoot desktop 1280 4200
shoot phone 390 9000
