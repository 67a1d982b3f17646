/** Errors the state store throws on purpose; the API server maps them to 404 / 409. */
export class ApprovalNotFoundError extends Error {
  readonly code = 'AVL_ERR_APPROVAL_NOT_FOUND';
  constructor(readonly approvalId: string) {
    super(`approval ${approvalId} does not exist`);
    this.name = 'ApprovalNotFoundError';
  }
}

export class ApprovalAlreadyDecidedError extends Error {
  readonly code = 'AVL_ERR_APPROVAL_DECIDED';
  constructor(
    readonly approvalId: string,
    readonly status: string,
    readonly decidedBy: string | undefined,
  ) {
    super(`approval ${approvalId} is already ${status}${decidedBy ? ` by ${decidedBy}` : ''}`);
    this.name = 'ApprovalAlreadyDecidedError';
  }
}

export class ApprovalInputError extends Error {
  readonly code = 'AVL_ERR_APPROVAL_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'ApprovalInputError';
  }
}
