#!/usr/bin/env bash
# The book as readers see it (DESIGN.md section 6), in two places:
#  1. the rendered book (cmake --build --preset dev --target book) in headless
#     Chromium: every page loads, shows its code blocks and its diagrams (images
#     loaded), previous/next links in reading order, the sidebar tree lists every
#     chapter and appendix and not common/'s API, no link or image is broken
#     (tools/book/browser-check.html does the looking);
#  2. every chapter README rendered by cmark-gfm, GitHub's markdown renderer:
#     code blocks, no raw Doxygen commands, every image it embeds exists.
# Leaves a screenshot of chapter 3 in <book>/check/ch03.png.
#   tools/book/check-book.sh [build/dev/book]     (needs: chromium cmark-gfm)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
book="$(cd "${1:-$root/build/dev/book}" && pwd)"
[ -f "$book/html/index.html" ] || { echo "no book in $book: cmake --build --preset dev --target book" >&2; exit 2; }
for tool in chromium cmark-gfm; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 2; }
done
failed=0

# What each page's markdown holds: demo snippets and image embeds.
snippets() { grep -c '^<!-- snippet: ' "$1" || true; }
images() { grep -cE '^!\[[^]]*\]\([^)]+\)' "$1" || true; }

# ---- 1. the rendered book in headless Chromium ----------------------------------
pages=""
while read -r html source; do
  pages+="${pages:+,}$html:$(snippets "$source"):$(images "$source")"
done <"$book/pages.txt"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
chrome() {
  timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" 2>/dev/null
}
dom="$(chrome --allow-file-access-from-files --virtual-time-budget=60000 \
  --dump-dom "file://$root/tools/book/browser-check.html?book=file://$book/html/&pages=$pages" || true)"
result="$(sed -n '/<pre id="result">/,/<\/pre>/p' <<<"$dom" | sed -e 's/<pre id="result">//' -e 's#</pre>.*##')"
echo "Rendered book (headless $(chromium --version 2>/dev/null | head -n 1)):"
if [ -z "$result" ]; then
  echo "  FAIL: the browser check produced no result"
  failed=1
else
  sed 's/^/  /' <<<"$result"
  grep -q '^BOOK-CHECK PASS$' <<<"$result" || failed=1
fi
mkdir -p "$book/check"
chrome --window-size=1280,1000 --screenshot="$book/check/ch03.png" "file://$book/html/ch03.html" >/dev/null || true

# ---- 2. the READMEs as GitHub renders them ---------------------------------------
echo "Chapter READMEs rendered by $(cmark-gfm --version | head -n 1 | cut -d' ' -f1-2):"
for readme in "$root"/chapters/[0-9][0-9]-*/README.md; do
  dir="$(dirname "$readme")"
  name="${readme#"$root"/}"
  html="$(cmark-gfm --unsafe -e table -e autolink -e strikethrough "$readme")"
  problems=()
  want_code="$(snippets "$readme")"
  code="$(grep -c '<pre><code class="language-cpp">' <<<"$html" || true)"
  [ "$code" -ge "$want_code" ] || problems+=("$code C++ code blocks, $want_code snippets quoted")
  if grep -qE '^(<p>)?\\(snippet|dot|enddot)' <<<"$html"; then problems+=("raw Doxygen \\snippet or \\dot lines"); fi
  shown=0
  while read -r src; do
    [ -n "$src" ] || continue
    shown=$((shown + 1))
    case "$src" in http*) continue ;; esac
    [ -s "$dir/$src" ] || problems+=("image $src does not exist")
  done < <(grep -o '<img src="[^"]*"' <<<"$html" | sed 's/<img src="//; s/"$//')
  [ "$shown" -eq "$(images "$readme")" ] || problems+=("$shown images shown, the markdown embeds $(images "$readme")")
  if [ ${#problems[@]} -eq 0 ]; then
    echo "  ok   $name: $code code blocks, $shown images"
  else
    failed=1
    for p in "${problems[@]}"; do echo "  FAIL $name: $p"; done
  fi
done
exit "$failed"
