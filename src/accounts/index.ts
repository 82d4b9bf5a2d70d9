export {
  type AccountService,
  type AccountServiceOptions,
  type ApiKeyListing,
  assertValidPassword,
  assertValidUsername,
  createAccountService,
  getCredentialRef,
  type Principal,
} from "./account-service.js";
export {
  API_KEY_SCOPES,
  type ApiKeyScope,
  assertCredentialAllows,
  type CredentialAccess,
  DEFAULT_API_KEY_SCOPE,
  isApiKeyScope,
  isScopeEnough,
} from "./api-key-scope.js";
export {
  createLoginThrottle,
  type LoginAttempt,
  type LoginThrottle,
  type LoginThrottleOptions,
} from "./login-throttle.js";
export {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
} from "./password-hasher.js";
export { createSecretToken, hashSecretToken } from "./secret-token.js";
