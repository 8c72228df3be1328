#!/usr/bin/env bash
# Copy front-end assets from node_modules/ (installed by `npm ci` from package-lock.json)
# to where the app and the browser tests load them. The destinations are git-ignored.
set -euo pipefail
cd "$(dirname "$0")/.."

copy() {
    local src="$1" dest="$2"
    if [[ ! -f "$src" ]]; then
        echo "vendor_assets: $src not found; run 'npm ci' (or 'make install') first" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$dest")"
    cp "$src" "$dest"
    echo "vendor_assets: $src -> $dest"
}

copy node_modules/htmx.org/dist/htmx.min.js src/maatwerk/web/static/vendor/htmx.min.js
copy node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
