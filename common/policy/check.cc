#include "common/policy/check.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gureum::policy {
namespace {

using Resolver = std::function<bool(const std::string&, int)>;

class Constant final : public Check {
 public:
  explicit Constant(bool value) : value_(value) {}
  bool Evaluate(const Caller&, const Target&, const Resolver&, int) const override {
    return value_;
  }

 private:
  bool value_;
};

class Not final : public Check {
 public:
  explicit Not(std::shared_ptr<const Check> inner) : inner_(std::move(inner)) {}
  bool Evaluate(const Caller& c, const Target& t, const Resolver& r, int d) const override {
    return !inner_->Evaluate(c, t, r, d);
  }

 private:
  std::shared_ptr<const Check> inner_;
};

class Both final : public Check {
 public:
  Both(std::shared_ptr<const Check> a, std::shared_ptr<const Check> b, bool is_and)
      : a_(std::move(a)), b_(std::move(b)), and_(is_and) {}
  bool Evaluate(const Caller& c, const Target& t, const Resolver& r, int d) const override {
    bool first = a_->Evaluate(c, t, r, d);
    if (and_ ? !first : first) return first;
    return b_->Evaluate(c, t, r, d);
  }

 private:
  std::shared_ptr<const Check> a_, b_;
  bool and_;
};

class RuleRef final : public Check {
 public:
  explicit RuleRef(std::string name) : name_(std::move(name)) {}
  bool Evaluate(const Caller&, const Target&, const Resolver& r, int d) const override {
    return r(name_, d + 1);
  }

 private:
  std::string name_;
};

class RoleCheck final : public Check {
 public:
  explicit RoleCheck(std::string role) : role_(absl::AsciiStrToLower(role)) {}
  bool Evaluate(const Caller& c, const Target&, const Resolver&, int) const override {
    for (const std::string& r : c.roles) {
      if (absl::AsciiStrToLower(r) == role_) return true;
    }
    return false;
  }

 private:
  std::string role_;
};

// "key:value": the caller's attribute `key` equals the literal or target value.
class GenericCheck final : public Check {
 public:
  GenericCheck(std::string key, std::string value)
      : key_(std::move(key)), value_(std::move(value)) {}
  bool Evaluate(const Caller& c, const Target& t, const Resolver&, int) const override {
    std::string expected = value_;
    if (absl::StartsWith(value_, "%(") && absl::EndsWith(value_, ")s")) {
      auto it = t.find(value_.substr(2, value_.size() - 4));
      if (it == t.end()) return false;
      expected = it->second;
    } else if (value_.size() >= 2 && (value_.front() == '\'' || value_.front() == '"') &&
               value_.back() == value_.front()) {
      expected = value_.substr(1, value_.size() - 2);
    }
    std::string actual;
    if (key_ == "user_id") {
      actual = c.user_id;
    } else if (key_ == "project_id") {
      actual = c.project_id;
    } else if (key_ == "domain_id") {
      actual = c.scope_domain_id;
    } else if (key_ == "user_domain_id") {
      actual = c.domain_id;
    } else if (key_ == "project_domain_id") {
      actual = c.project_domain_id;
    } else if (key_ == "system_scope") {
      actual = c.system_scope ? "all" : "";
    } else if (key_ == "is_admin_project") {
      // oslo.policy compares the credential's str(): "True" or "False".
      return absl::AsciiStrToLower(expected) == (c.is_admin_project ? "true" : "false");
    } else {
      return false;  // unknown attributes never match
    }
    return !actual.empty() && actual == expected;
  }

 private:
  std::string key_;
  std::string value_;
};

std::vector<std::string> Tokenize(const std::string& text) {
  std::vector<std::string> tokens;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  bool in_reference = false;  // inside %(...)s, whose parentheses are not grouping
  for (char ch : text) {
    if (ch == '(' && !current.empty() && current.back() == '%') {
      in_reference = true;
      current += ch;
    } else if (ch == ')' && in_reference) {
      in_reference = false;
      current += ch;
    } else if (ch == '(' || ch == ')') {
      flush();
      tokens.emplace_back(1, ch);
    } else if (absl::ascii_isspace(static_cast<unsigned char>(ch))) {
      flush();
    } else {
      current += ch;
    }
  }
  flush();
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

  absl::StatusOr<std::shared_ptr<const Check>> Parse() {
    auto check = Or();
    if (!check.ok()) return check;
    if (pos_ != tokens_.size()) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected '", tokens_[pos_], "'"));
    }
    return check;
  }

 private:
  bool Peek(const char* word) const {
    return pos_ < tokens_.size() && absl::AsciiStrToLower(tokens_[pos_]) == word;
  }

  absl::StatusOr<std::shared_ptr<const Check>> Or() {
    auto left = And();
    if (!left.ok()) return left;
    std::shared_ptr<const Check> result = *left;
    while (Peek("or")) {
      ++pos_;
      auto right = And();
      if (!right.ok()) return right;
      result = std::make_shared<Both>(result, *right, /*is_and=*/false);
    }
    return result;
  }

  absl::StatusOr<std::shared_ptr<const Check>> And() {
    auto left = Unary();
    if (!left.ok()) return left;
    std::shared_ptr<const Check> result = *left;
    while (Peek("and")) {
      ++pos_;
      auto right = Unary();
      if (!right.ok()) return right;
      result = std::make_shared<Both>(result, *right, /*is_and=*/true);
    }
    return result;
  }

  absl::StatusOr<std::shared_ptr<const Check>> Unary() {
    if (Peek("not")) {
      ++pos_;
      auto inner = Unary();
      if (!inner.ok()) return inner;
      return std::shared_ptr<const Check>(std::make_shared<Not>(*inner));
    }
    return Atom();
  }

  absl::StatusOr<std::shared_ptr<const Check>> Atom() {
    if (pos_ >= tokens_.size()) return absl::InvalidArgumentError("check string ends too early");
    std::string token = tokens_[pos_++];
    if (token == "(") {
      auto inner = Or();
      if (!inner.ok()) return inner;
      if (pos_ >= tokens_.size() || tokens_[pos_] != ")") {
        return absl::InvalidArgumentError("missing ')'");
      }
      ++pos_;
      return inner;
    }
    if (token == "@") return std::shared_ptr<const Check>(std::make_shared<Constant>(true));
    if (token == "!") return std::shared_ptr<const Check>(std::make_shared<Constant>(false));
    size_t colon = token.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == token.size()) {
      return absl::InvalidArgumentError(absl::StrCat("cannot understand '", token, "'"));
    }
    std::string kind = token.substr(0, colon);
    std::string value = token.substr(colon + 1);
    if (kind == "rule") return std::shared_ptr<const Check>(std::make_shared<RuleRef>(value));
    if (kind == "role") return std::shared_ptr<const Check>(std::make_shared<RoleCheck>(value));
    return std::shared_ptr<const Check>(std::make_shared<GenericCheck>(kind, value));
  }

  std::vector<std::string> tokens_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::shared_ptr<const Check>> ParseCheck(const std::string& text) {
  std::vector<std::string> tokens = Tokenize(text);
  if (tokens.empty()) return std::shared_ptr<const Check>(std::make_shared<Constant>(true));
  return Parser(std::move(tokens)).Parse();
}

}  // namespace gureum::policy
