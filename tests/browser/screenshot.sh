#!/bin/sh
# Render the HTML compliance report of fixtures/ in headless Chromium at a desktop and a phone
# width, so a person can look at it. Not run by `cargo test`; needs `chromium` (Debian package).
#
#   tests/browser/screenshot.sh [OUT_DIR]     # default OUT_DIR: target/report-screenshots
#
# Writes OUT_DIR/report.html, OUT_DIR/report-1280.png and OUT_DIR/report-390.png.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-target/report-screenshots}
mkdir -p "$out"
out=$(cd "$out" && pwd)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "chromium not found (Debian: apt-get install chromium)" >&2
    exit 2
fi
# Exit 1 only means the fixtures have findings, which they are meant to have.
cargo run --quiet -- report fixtures/ --format html --output "$out/report.html" --fail-on never
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
for size in 1280,3000 390,5200; do
    width=${size%,*}
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size="$size" \
        --screenshot="$out/report-$width.png" "file://$out/report.html" 2>/dev/null
    echo "wrote $out/report-$width.png"
done
