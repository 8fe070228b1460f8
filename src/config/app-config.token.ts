/** Injection token for the validated `AppConfig`; inject it with `@Inject(APP_CONFIG)`. */
export const APP_CONFIG = Symbol('APP_CONFIG');
