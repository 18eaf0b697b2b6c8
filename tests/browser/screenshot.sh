#!/bin/sh
# Render the HTML compliance report of fixtures/ in headless Chromium at a desktop width (1280)
# and a phone width (390), so a person can look at both. Not run by `cargo test`; needs
# `chromium` (Debian package).
#
#   tests/browser/screenshot.sh [OUT_DIR]     # default OUT_DIR: target/report-screenshots
#
# Writes OUT_DIR/report.html, OUT_DIR/report-1280.png and OUT_DIR/report-390.png.
#
# Chromium will not make a window narrower than 500 px (headless included), so the phone view
# loads the report in a 390 px wide iframe: its media queries and layout see a 390 px viewport.
# The strip right of the iframe is grey; anything overflowing into it is a layout bug.
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
cat >"$out/phone.html" <<'HTML'
<!DOCTYPE html>
<html><body style="margin:0;background:#777">
<iframe src="report.html" style="display:block;width:390px;height:16000px;border:0;background:#fff"></iframe>
</body></html>
HTML
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
shoot() {
    "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --user-data-dir="$profile" --window-size="$1" --screenshot="$2" "$3" 2>/dev/null
    echo "wrote $2"
}
shoot 1280,14000 "$out/report-1280.png" "file://$out/report.html"
shoot 500,16000 "$out/report-390.png" "file://$out/phone.html"
