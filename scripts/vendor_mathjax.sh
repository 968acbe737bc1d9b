#!/usr/bin/env bash
# Vendor MathJax 3 into book/_vendor/mathjax so the built book typesets math offline.
#
# The book's _config.yml points Sphinx's mathjax_path at _static/mathjax/tex-chtml.js and lists
# book/_vendor in html_static_path, so these files (script, fonts, extensions) are copied into
# every build. They come from the npm registry (the package's es5/ folder), are checked against
# the registry's published sha1, and are not committed (.gitignore: book/_vendor/).
#
# Idempotent: does nothing when the pinned version is already in place.
# The folder is deliberately not called "_static": Jupyter Book 1 would add every .js file under a
# source-level _static folder to every page as a <script>.
set -euo pipefail

MATHJAX_VERSION="3.2.2"
# `npm view mathjax@3.2.2 dist.shasum`
MATHJAX_SHA1="c754d7b46a679d7f3fa03543d6b8bf124ddf9f6b"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$repo_root/book/_vendor/mathjax"
stamp="$target/VERSION"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$MATHJAX_VERSION" && -f "$target/tex-chtml.js" ]]; then
    echo "vendor_mathjax: MathJax $MATHJAX_VERSION already in $target"
    exit 0
fi

command -v npm >/dev/null || { echo "vendor_mathjax: npm is required (apt-get install -y npm)" >&2; exit 1; }

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

(cd "$workdir" && npm pack --silent "mathjax@$MATHJAX_VERSION" >/dev/null)
tarball="$workdir/mathjax-$MATHJAX_VERSION.tgz"
echo "$MATHJAX_SHA1  $tarball" | sha1sum --check --status || {
    echo "vendor_mathjax: checksum mismatch for $tarball" >&2
    exit 1
}
tar -xzf "$tarball" -C "$workdir"

# Replace atomically-enough: build the new folder beside the old one, then swap.
rm -rf "$target.new"
mkdir -p "$target.new"
cp -R "$workdir/package/es5/." "$target.new/"
cp "$workdir/package/LICENSE" "$target.new/LICENSE"
echo "$MATHJAX_VERSION" > "$target.new/VERSION"
rm -rf "$target"
mv "$target.new" "$target"
echo "vendor_mathjax: installed MathJax $MATHJAX_VERSION in $target"
