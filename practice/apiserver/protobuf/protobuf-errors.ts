// Bytes that are not a well-formed message of the expected type (truncated, wrong wire types, bad JSON inside).
export class MalformedProtobufError extends Error {}

// A field number the schema does not declare: decoding on would silently drop data.
export class UnknownProtobufFieldError extends Error {}
