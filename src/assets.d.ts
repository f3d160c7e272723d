// bun-types describes `with { type }` imports only to TypeScript 7.1+; these say what Bun gives.
declare module "*.svg" { const path: string; export default path; }
declare module "*.sql" { const text: string; export default text; }
declare module "kafkajs/src/network/requestQueue/index.js" { const RequestQueue: unknown; export default RequestQueue; }
