// @graphwire/redis — table of contents (being written).
export {};
