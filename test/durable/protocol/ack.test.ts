import { describe, expect, it } from "vitest";
import { ackLine, encodeAcknowledgmentsV2, NAK } from "../../../durable/protocol/ack";

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const A = "74730d410fcb6603ace96f1dc55ea6196122532d";
const B = "7e47fe2bd8d01d481f44d7af0531bd93d3b21c01";

describe("v0 ACK and NAK lines", () => {
  it("writes the gitprotocol-pack examples", () => {
    expect(text(NAK)).toBe("0008NAK\n");
    expect(text(ackLine(A))).toBe(`0031ACK ${A}\n`);
    expect(text(ackLine(B, "continue"))).toBe(`003aACK ${B} continue\n`);
  });

  it("writes multi_ack_detailed statuses", () => {
    expect(text(ackLine(A, "common"))).toBe(`0038ACK ${A} common\n`);
    expect(text(ackLine(A, "ready"))).toBe(`0037ACK ${A} ready\n`);
  });
});

describe("encodeAcknowledgmentsV2", () => {
  it("sends NAK and a flush when nothing is common and not ready", () => {
    expect(text(encodeAcknowledgmentsV2([], false))).toBe("0014acknowledgments\n0008NAK\n0000");
  });

  it("acks each common object", () => {
    expect(text(encodeAcknowledgmentsV2([A, B], false))).toBe(`0014acknowledgments\n0031ACK ${A}\n0031ACK ${B}\n0000`);
  });

  it("ends with ready and a delim before the packfile section", () => {
    expect(text(encodeAcknowledgmentsV2([A], true))).toBe(`0014acknowledgments\n0031ACK ${A}\n000aready\n0001`);
  });
});
