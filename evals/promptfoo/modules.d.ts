// Types for the plain-JS files promptfoo loads, so the TypeScript test can import them.
declare module "*.mjs" {
  // biome-ignore lint/suspicious/noExplicitAny: each definition is typed by its own schema
  const value: any;
  export default value;
}
