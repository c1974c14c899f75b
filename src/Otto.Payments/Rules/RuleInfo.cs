using Otto.Contracts.Otto;

namespace Otto.Payments.Rules;

/// <summary>A rule as the rule catalog (topology-docs/rule-catalog.md) lists it.</summary>
/// <param name="Name">The rule's name in correlation ids, flag ids, flags, metrics and settings (Otto:Payments:Rules:{Name}).</param>
/// <param name="Trigger">When the rule is checked and what makes its condition hold.</param>
/// <param name="Settings">The settings that tune it (SLA, tolerance, window), with their defaults.</param>
/// <param name="Outcome">What Otto publishes when the condition holds, and what clears it.</param>
/// <param name="Reasons">The flag reasons the rule raises.</param>
/// <param name="Fix">The fix command's intent when the rule's action is Fix.</param>
/// <param name="FixTarget">The system expected to apply the fix.</param>
public sealed record RuleInfo(string Name, string Trigger, string Settings, string Outcome, IReadOnlyList<FlagReason> Reasons, FixIntent Fix, string FixTarget);
