// Types for the plain-JS files promptfoo loads, so the TypeScript test can import them.
declare module "*.mjs" {
  const value: any;
  export default value;
}
