// The error codes the suites and the mock name in code, by name. Each is
// looked up in spec/ontap.yaml when this module loads (a code the spec does
// not document for its operation, or as a common code, throws), so a code
// is written once, here, and checked against the contract; everywhere else
// it is a name. The error-code scenarios (suites/errors/scenarios.ts) keep
// their own table of every documented code, held to the spec by a test.
import { commonErrorCodes, getOperation } from "./operations.ts";

function documented<T extends Record<string, string>>(operationId: string | undefined, codes: T): Readonly<T> {
  for (const [name, code] of Object.entries(codes)) {
    const ok = operationId ? code in getOperation(operationId).errorCodes || code in commonErrorCodes() : code in commonErrorCodes();
    if (!ok) throw new Error(`error code ${name} = ${code} is not documented ${operationId ? `for ${operationId}` : "as a common code"} in spec/ontap.yaml`);
  }
  return Object.freeze(codes);
}

/** x-ontap-common-error-codes: the codes any operation may answer. */
export const COMMON_CODES = documented(undefined, {
  /** entry with those identifiers not found ("entry doesn't exist") */
  NOT_FOUND: "4",
  /** unexpected argument (an undocumented query parameter) */
  UNEXPECTED_ARGUMENT: "262179",
  /** invalid value */
  INVALID_VALUE: "262185",
  /** field cannot be set in this operation */
  FIELD_NOT_SETTABLE: "262196",
  /** invalid value for field */
  INVALID_FIELD_VALUE: "262197",
  /** required value missing */
  REQUIRED_VALUE_MISSING: "262212",
  /** mismatched braces in fields */
  MISMATCHED_BRACES: "262286",
  /** unexpected application exception (a 500) */
  UNEXPECTED_EXCEPTION: "262145",
});

export const LICENSE_CREATE_CODES = documented("license_create", {
  NO_LICENSE_CODE: "1115130",
});

export const LICENSE_DELETE_CODES = documented("license_delete", {
  /** the package is part of an NLFv2 license: delete it by licenses.installed_license */
  PART_OF_NLF_BUNDLE: "1115564",
});

export const SOFTWARE_MODIFY_CODES = documented("software_modify", {
  /** a previous update is still in progress (also the download's "an update is in progress") */
  UPDATE_IN_PROGRESS: "10551357",
  PACKAGE_VERSION_NOT_GIVEN: "10551872",
  PACKAGE_VERSION_NOT_PRESENT: "10551325",
  PACKAGE_NOT_IN_REPOSITORY: "10551315",
  NODES_NOT_HA_PAIRS: "10551368",
  SKIP_NODES_AT_TARGET_VERSION_CONFLICT: "10551899",
});

export const SOFTWARE_DOWNLOAD_CODES = documented("software_package_create", {
  UPDATE_IN_PROGRESS: "10551357",
  INVALID_URL_SYNTAX: "39387137",
  UNSUPPORTED_URL_SCHEME: "39387138",
  INVALID_URL: "10551885",
  IMAGE_EXISTS: "10551327",
  DOWNLOAD_RUNNING: "10551382",
});

export const SOFTWARE_PACKAGE_DELETE_CODES = documented("software_package_delete", {
  PACKAGE_NOT_FOUND: "10551325",
});

export const SOFTWARE_UPLOAD_CODES = documented("software_upload", {
  ONE_FILE_ONLY: "10551807",
  NOT_MULTIPART: "10551808",
});
