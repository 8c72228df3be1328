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

# Vega and Vega-Lite draw the feedback charts in the page (static/js/charts.js). The page's
# CSP has no 'unsafe-eval', so Vega evaluates its expressions with vega-interpreter. That
# package ships only as an ES module importing three names from vega-util, which the vega
# bundle exposes on window.vega: rewrite its one import and one export into a classic
# script (window.vegaInterpreter). The rewrite fails loudly when a new version changes them.
copy node_modules/vega/build/vega.min.js src/maatwerk/web/static/vendor/vega.min.js
copy node_modules/vega-lite/build/vega-lite.min.js src/maatwerk/web/static/vendor/vega-lite.min.js
interpreter=node_modules/vega-interpreter/build/vega-interpreter.js
import_line="import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
export_line="export { expression as expressionInterpreter };"
if ! grep -qxF "$import_line" "$interpreter" || ! grep -qxF "$export_line" "$interpreter"; then
    echo "vendor_assets: $interpreter no longer has the import/export lines this script rewrites" >&2
    exit 1
fi
{
    echo "(function () {"
    echo "const { ascending, isString, DisallowedObjectProperties } = window.vega;"
    grep -vxF -e "$import_line" -e "$export_line" "$interpreter"
    echo "window.vegaInterpreter = { expressionInterpreter: expression };"
    echo "})();"
} > src/maatwerk/web/static/vendor/vega-interpreter.js
echo "vendor_assets: $interpreter -> src/maatwerk/web/static/vendor/vega-interpreter.js (classic script)"

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
