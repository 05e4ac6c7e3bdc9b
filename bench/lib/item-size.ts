/**
 * DynamoDB item sizes, as DynamoDB counts them for capacity units: each attribute's name in UTF-8
 * bytes plus its value's size. The rules follow the DynamoDB developer guide, "Item sizes and
 * formats": https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";

const attributeValueKeys = new Set(["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"]);

/**
 * Returns `record` as DynamoDB attribute values. A client middleware may see a document
 * client's plain values, such as `{ stock: 1 }`, before they are marshalled; those are
 * marshalled here.
 */
export function asAttributeValues(record: Record<string, unknown>): Record<string, AttributeValue> {
  const marshalled = Object.values(record).every((value) => {
    if (value === null || typeof value !== "object") return false;
    const keys = Object.keys(value);
    return keys.length === 1 && attributeValueKeys.has(keys[0] ?? "");
  });
  if (marshalled) return record as Record<string, AttributeValue>;
  return marshall(record, { removeUndefinedValues: true, convertClassInstanceToMap: true });
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");

/** Estimates a number's size: about one byte per two significant digits, plus one. */
function numberBytes(text: string): number {
  const digits = text.replace(/^-/, "").replace(/e.*$/i, "").replace(".", "");
  const significant = digits.replace(/^0+/, "").replace(/0+$/, "");
  return Math.ceil(Math.max(1, significant.length) / 2) + 1;
}

/** Returns the size of one attribute value in bytes. */
export function attributeValueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Bytes(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, item) => sum + utf8Bytes(item), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, item) => sum + numberBytes(item), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, item) => sum + item.byteLength, 0);
  // Lists and maps take 3 bytes, plus 1 byte and the size of each element.
  if (value.L !== undefined) {
    return 3 + value.L.reduce((sum, item) => sum + 1 + attributeValueBytes(item), 0);
  }
  if (value.M !== undefined) {
    return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  }
  return 0;
}

/** Returns the size of an item in bytes: names and values of all its attributes. */
export function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + attributeValueBytes(value),
    0,
  );
}

/** Write request units of one item in a transaction: 2 per started KB, at least 2. */
export function transactionalWriteUnits(bytes: number): number {
  return 2 * Math.max(1, Math.ceil(bytes / 1024));
}
