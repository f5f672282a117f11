// Moved to test/helpers/openapi.ts so the contract suite (test/contract/) shares one compiled spec loader.
export { loadOpenApiValidator, OPENAPI_PATH, type SchemaValidator } from '../../helpers/openapi';
