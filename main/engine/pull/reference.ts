// Parses an image reference typed on the command line (`jobsim image check REF`) with the shared parser,
// turning its error into an InputError so the CLI shows it without a stack trace.

import { InvalidImageRefError, parseImageRef, type ImageRef } from '../../../shared/image-ref.js';
import { InputError } from '../../errors.js';

export function parseReference(written: string): ImageRef {
  try {
    return parseImageRef(written);
  } catch (error) {
    if (error instanceof InvalidImageRefError) throw new InputError(error.message);
    throw error;
  }
}
