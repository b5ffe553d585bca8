// Entry of the CDN bundles (global `graphwire`): the whole core next to the browser session,
// so a page without a build step has everything under one name (`graphwire.VERSION` is the core's).
export * from '@graphwire/core';
export * from './index.js';
