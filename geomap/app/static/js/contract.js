/**
 * The payload's version: the map script reads only the payload it was written for.
 *
 * The payload's keys, and what each short key means, are described once, in
 * Python (geomap/web/payload_schema.py, written out as
 * geomap/schema/payload.schema.json); PAYLOAD_VERSION must equal its
 * PAYLOAD_VERSION (a test compares them).
 */

export const PAYLOAD_VERSION = 1;

/**
 * Throw unless `payload` is a payload of the version this script reads.
 * @param {object} payload the payload (geomap/schema/payload.schema.json)
 * @returns {object} the payload
 */
export function checkPayload(payload) {
  const version = payload && typeof payload === "object" ? payload.version : undefined;
  if (version !== PAYLOAD_VERSION) {
    throw new Error(
      "geomap: the map data is version " + String(version) + " but this script reads version " +
      PAYLOAD_VERSION + "; reload the page"
    );
  }
  return payload;
}
