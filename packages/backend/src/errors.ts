/** The one error type of @cnnlab/backend; its message names the backend or kernel at fault. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}
