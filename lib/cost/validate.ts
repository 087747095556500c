/**
 * Input checks shared by the cost module (not exported from the package).
 */
import { CostInputError } from './errors';

/** A finite number ≥ 0 (GB, dollars). */
export function requireNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new CostInputError(`${name} must be a finite number ≥ 0, got ${String(value)}.`);
  }
}

/** An integer ≥ `min` (VPC, endpoint and AZ counts). */
export function requireInteger(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new CostInputError(`${name} must be an integer ≥ ${min}, got ${String(value)}.`);
  }
}

/** A share from 0 to 1 (0.5 is half). */
export function requireShare(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new CostInputError(`${name} must be a share from 0 to 1 (0.5 is half), got ${String(value)}.`);
  }
}
