import storefront from "../../public/index.html";

const built = storefront.files?.find((file) => file.path === storefront.index);

/**
 * The built storefront's HTML, which names its content-hashed assets. Only a compiled binary holds
 * it: run from source (and in-process tests) Bun bundles the storefront itself, and this is undefined.
 */
export const BUILT_INDEX: string | undefined = built ? await Bun.file(built.path).text() : undefined;
