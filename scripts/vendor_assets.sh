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

# LHC-Forms (lforms), for the real-client FHIR test (tests/e2e/test_lhc_forms.py): the
# web-component build and the R4 FHIR support file, in the load order of the package
# README ("Using the LHC-Forms Web Component"): styles.css, zone.min.js, runtime.js,
# polyfills.js, main.js, then fhir/R4/lformsFHIR.min.js. The two images are referenced by
# styles.css.
lforms=node_modules/lforms/dist/lforms
for file in webcomponent/styles.css webcomponent/down_arrow_gray_10_10.png \
    webcomponent/magnifying_glass.png webcomponent/assets/lib/zone.min.js \
    webcomponent/runtime.js webcomponent/polyfills.js webcomponent/main.js \
    fhir/R4/lformsFHIR.min.js; do
    copy "$lforms/$file" "tests/e2e/vendor/lforms/$file"
done
