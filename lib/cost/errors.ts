export { CostInputError } from '../errors';
