// Outbound URL rules (durable/hooks/public-url.ts): schemes, credentials, and every private address
// form, including the spellings the URL parser turns into one (decimal, short and hex IPv4, mapped IPv6).
import { describe, expect, it } from "vitest";
import { outboundUrlProblem } from "../../../durable/hooks/public-url";

describe("outboundUrlProblem", () => {
  it("takes public http and https URLs", () => {
    for (const url of ["https://hooks.example.com/x?y=1", "http://93.184.216.34:8080/", "https://[2606:4700::1111]/", "http://172.32.0.1/", "http://100.128.0.1/"]) {
      expect(outboundUrlProblem(url, false), url).toBeNull();
    }
  });

  it("refuses loopback, private, link-local, shared and reserved addresses, however they are spelled", () => {
    const refused = [
      "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f.1/", "http://0.0.0.0/", "http://10.0.0.1/", "http://172.16.5.4/",
      "http://192.168.1.1/", "http://169.254.169.254/latest", "http://100.64.0.1/", "http://224.0.0.1/", "http://[::1]/", "http://[::]/",
      "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://localhost:8080/", "http://a.localhost/",
      "http://printer.local/", "http://metadata.google.internal/",
    ];
    for (const url of refused) expect(outboundUrlProblem(url, false), url).toMatch(/loopback, private or link-local address; this server refuses those \(ALLOW_PRIVATE_URLS=true allows them\)/);
    for (const url of refused) expect(outboundUrlProblem(url, true), url).toBeNull();
  });

  it("refuses what is not an http URL, and credentials in it, even when private addresses are allowed", () => {
    expect(outboundUrlProblem("not a url", true)).toBe('"not a url" is not a URL');
    expect(outboundUrlProblem("ftp://example.com/", true)).toBe("only http and https URLs are allowed, not ftp:");
    expect(outboundUrlProblem("file:///etc/passwd", true)).toMatch(/not file:/);
    expect(outboundUrlProblem("https://u:p@example.com/", true)).toMatch(/must not hold credentials/);
  });
});
