/** Stable error codes of the declarations module. */
export const DeclarationErrorCode = {
  INVALID_FIELD: 'declarations.invalid-field',
  WEIGHTS_DO_NOT_ADD_UP: 'declarations.weights-do-not-add-up',
  UNKNOWN_HS_CODE: 'declarations.unknown-hs-code',
  UNKNOWN_ENTERPRISE: 'declarations.unknown-enterprise',
  UNKNOWN_CUSTOMS_OFFICE: 'declarations.unknown-customs-office',
  BILL_NOT_MANIFESTED: 'declarations.bill-not-manifested',
  CONTAINER_NOT_ON_BILL: 'declarations.container-not-on-bill',
  NOT_ELIGIBLE: 'declarations.not-eligible',
  GUARANTEE_REQUIRED: 'declarations.guarantee-required',
  NOT_FOUND: 'declarations.not-found',
  STALE_VERSION: 'declarations.stale-version',
  INVALID_TRANSITION: 'declarations.invalid-transition',
  AMENDMENT_NOT_ALLOWED: 'declarations.amendment-not-allowed',
  DOCUMENTS_DO_NOT_AGREE: 'declarations.documents-do-not-agree',
  TOO_EARLY: 'declarations.too-early',
} as const;
