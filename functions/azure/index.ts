/**
 * The Azure Functions app (programming model v4): the bundle's entry point (package.json `main` of the
 * deployment package). Registers every function; handlers live one per file.
 */
import { app } from '@azure/functions';
import { registerFunctions } from './register';
import { defaultDeps } from './support/deps';

registerFunctions(app, defaultDeps());
