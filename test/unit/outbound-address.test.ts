/**
 * The outbound address rules: which IPv4 / IPv6 addresses the server may connect to for a
 * tenant, and which URLs a tenant may save (before any DNS).
 */
import { describe, expect, it } from "vitest";
import { outboundUrlProblem } from "../../shared/platform/outbound";
import { addressProblem, classifyAddress } from "../../shared/platform/outbound-address";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["172.32.0.1", "public"],
    ["100.128.0.1", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["169.254.0.1", "link-local"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "reserved"],
    ["198.18.0.1", "reserved"],
  ])("IPv4 %s is %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each([
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    // IPv4-mapped and -embedded forms take the class of the IPv4 address inside.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:a9fe:a9fe", "link-local"],
    ["::ffff:100.64.0.1", "cgnat"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::10.0.0.1", "private"],
    ["::127.0.0.1", "loopback"],
    ["2002:0a00:0001::", "private"], // 6to4 of 10.0.0.1
  ])("IPv6 %s is %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(["example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1::2::3", "gggg::1", ""])(
    "%s is not an address",
    (text) => {
      expect(classifyAddress(text)).toBe("invalid");
    },
  );

  it("loopback is allowed only by the setting; private ranges never", () => {
    expect(addressProblem("127.0.0.1", { allowLoopback: false })).toBe("127.0.0.1 is a loopback address");
    expect(addressProblem("127.0.0.1", { allowLoopback: true })).toBeNull();
    expect(addressProblem("::1", { allowLoopback: true })).toBeNull();
    expect(addressProblem("10.1.2.3", { allowLoopback: true })).toBe("10.1.2.3 is a private address");
    expect(addressProblem("169.254.169.254", { allowLoopback: true })).toContain("link-local");
    expect(addressProblem("93.184.216.34", { allowLoopback: false })).toBeNull();
  });
});

describe("outboundUrlProblem", () => {
  const strict = { allowLoopback: false };
  const dev = { allowLoopback: true };
  it.each([
    ["https://executor.partner.example/commands", null],
    ["https://93.184.216.34/x", null],
    ["http://executor.partner.example/x", "must be an https:// URL"],
    ["https://user:pw@executor.partner.example/x", "credentials in the URL are not accepted"],
    ["https://10.0.0.5/x", "10.0.0.5 is a private address"],
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a link-local address"],
    ["https://100.64.1.1/x", "100.64.1.1 is a cgnat address"],
    ["https://[fd00::1]/x", "fd00::1 is a unique-local address"],
    ["https://[::ffff:10.0.0.1]/x", "::ffff:a00:1 is a private address"],
    ["https://0.0.0.0/x", "0.0.0.0 is an unspecified address"],
    ["https://127.0.0.1/x", "127.0.0.1 is a loopback address"],
    ["https://localhost/x", "localhost is a loopback host"],
    ["https://api.localhost/x", "api.localhost is a loopback host"],
    ["http://127.0.0.1:8080/x", "must be an https:// URL"],
    ["not a url", "not an absolute URL"],
  ])("strict: %s → %s", (url, problem) => {
    expect(outboundUrlProblem(url, strict)).toBe(problem);
  });

  it.each([
    ["http://127.0.0.1:8080/x", null],
    ["http://localhost:8080/x", null],
    ["http://[::1]:8080/x", null],
    ["https://127.0.0.1/x", null],
    ["http://executor.partner.example/x", "must be an https:// URL (http:// only for a loopback host)"],
    ["http://10.0.0.5/x", "must be an https:// URL (http:// only for a loopback host)"],
    ["https://10.0.0.5/x", "10.0.0.5 is a private address"],
  ])("loopback allowed: %s → %s", (url, problem) => {
    expect(outboundUrlProblem(url, dev)).toBe(problem);
  });
});
