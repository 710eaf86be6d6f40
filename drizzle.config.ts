// drizzle-kit settings: the repository Durable Object's schema, written as SQL migrations into migrations/.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  out: "./migrations",
  schema: "./durable/schema.ts",
  dialect: "sqlite",
  driver: "durable-sqlite",
});
