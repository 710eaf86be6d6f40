// A tiny checker of JSON answers against the OpenAPI document (durable/api/openapi.json): the part of
// JSON Schema the document uses, and the schema of one route's answer.
import spec from "../../../durable/api/openapi.json";

export type Schema = Record<string, any>;

const ANNOTATIONS = new Set(["description", "format", "title", "default"]);
const KEYWORDS = new Set(["$ref", "type", "properties", "required", "items", "enum", "additionalProperties", "pattern", "oneOf", ...ANNOTATIONS]);

/** Follows a local "#/a/b" reference. */
export function resolve(node: Schema): Schema {
  if (!node.$ref) return node;
  const target = (node.$ref as string).slice(2).split("/").reduce<any>((at, key) => at?.[key], spec);
  if (!target) throw new Error(`unresolved ${node.$ref}`);
  return resolve(target);
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

/** The ways `value` breaks `schema` (empty when it conforms). */
export function violations(schema: Schema, value: unknown, path = "$"): string[] {
  for (const key of Object.keys(schema)) if (!KEYWORDS.has(key)) throw new Error(`the checker does not know keyword ${key} (at ${path})`);
  if (schema.$ref) return violations(resolve(schema), value, path);
  const errors: string[] = [];
  if (schema.oneOf) {
    const matching = (schema.oneOf as Schema[]).filter((s) => violations(s, value, path).length === 0).length;
    if (matching !== 1) errors.push(`${path}: matches ${matching} of the oneOf schemas, not exactly one`);
  }
  if (schema.type !== undefined) {
    const types: string[] = Array.isArray(schema.type) ? schema.type : [schema.type];
    const actual = typeOf(value);
    if (!types.includes(actual) && !(actual === "integer" && types.includes("number"))) return [...errors, `${path}: ${actual}, expected ${types.join(" or ")}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).includes(value)) errors.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.pattern && typeof value === "string" && !new RegExp(schema.pattern).test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => errors.push(...violations(schema.items, item, `${path}[${i}]`)));
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) errors.push(`${path}: ${name} is missing`);
    for (const [name, sub] of Object.entries<Schema>(schema.properties ?? {})) if (name in object) errors.push(...violations(sub, object[name], `${path}.${name}`));
    if (schema.additionalProperties !== undefined) {
      for (const [name, item] of Object.entries(object)) {
        if (schema.properties && name in schema.properties) continue;
        if (schema.additionalProperties === false) errors.push(`${path}: unexpected ${name}`);
        else if (typeof schema.additionalProperties === "object") errors.push(...violations(schema.additionalProperties, item, `${path}.${name}`));
      }
    }
  }
  return errors;
}

/** The response schema the spec gives for this path (as the spec writes it), method and status. */
export function responseSchema(path: string, method: string, status: number, mediaType: string): Schema {
  const operation = (spec.paths as Record<string, any>)[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${path} is not in the spec`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`${method} ${path} answered ${status}, which the spec does not list`);
  const schema = resolve(response).content?.[mediaType]?.schema;
  if (!schema) throw new Error(`${method} ${path} ${status} has no ${mediaType} schema`);
  return schema;
}
