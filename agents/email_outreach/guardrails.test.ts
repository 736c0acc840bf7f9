import { describe, expect, it } from "vitest";
import { checkDraft, findPlaceholders } from "./guardrails.ts";

const who = {
  contact: { id: 314, first_name: "Maya", last_name: "Chen", title: "VP Operations", email: "maya@acme-robotics.io" },
  company: { id: 42, name: "Acme Robotics", domain: "acme-robotics.io" },
};

describe("findPlaceholders", () => {
  it("finds curly, double-curly, bracket and angle template slots", () => {
    expect(findPlaceholders("Hi {first_name}, about {{ company }} —")).toEqual(["{first_name}", "{{ company }}"]);
    expect(findPlaceholders("Best,\n[Your Name]")).toEqual(["[Your Name]"]);
    expect(findPlaceholders("Dear <first_name>,")).toEqual(["<first_name>"]);
  });

  it("leaves ordinary prose alone", () => {
    expect(findPlaceholders("Hi Maya, congrats on the [new] Austin plant (opened in May).")).toEqual([]);
  });
});

describe("checkDraft", () => {
  it("passes a draft that greets by first name and names the company", () => {
    expect(checkDraft({ subject: "Acme Robotics' Austin plant", body: "Hi Maya,\nSaw the Austin plant news.\nJordan" }, who)).toEqual([]);
  });

  it("flags an unfilled placeholder, naming it", () => {
    const problems = checkDraft({ subject: "Acme Robotics", body: "Hi {first_name}, quick question.\nJordan" }, who);
    expect(problems.some((p) => p.includes("{first_name}"))).toBe(true);
  });

  it("flags a promise and a wrong first name", () => {
    const problems = checkDraft({ subject: "Acme Robotics: guaranteed savings", body: "Hi Mia, results guaranteed." }, who);
    expect(problems.join("\n")).toMatch(/"guaranteed"/);
    expect(problems.join("\n")).toMatch(/first name \("Maya"\)/);
  });

  it("does not take a first name inside another word as a greeting", () => {
    const problems = checkDraft({ subject: "Acme Robotics", body: "Hi Mayanka, quick question." }, who);
    expect(problems.join("\n")).toMatch(/first name/);
  });
});
