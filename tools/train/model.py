"""The GPT-2 block, exactly as the app's C engine computes it.

Pre-LayerNorm, fused QKV, scores scaled by 1/sqrt(d_head), causal mask, softmax,
output projection, residual; MLP with tanh GELU ("gelu_new"); final LayerNorm;
LM head tied to the token embedding. Linear layers keep PyTorch's [out, in]
weights; export.py transposes them to GPT-2's Conv1D [in, out] layout.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, n_embd, n_head, eps):
        super().__init__()
        self.n_head = n_head
        self.ln_1 = nn.LayerNorm(n_embd, eps=eps)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.attn_proj = nn.Linear(n_embd, n_embd)
        self.ln_2 = nn.LayerNorm(n_embd, eps=eps)
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.mlp_proj = nn.Linear(4 * n_embd, n_embd)

    def forward(self, x, mask, want_attn=False):
        B, T, C = x.shape
        hd = C // self.n_head
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, hd).transpose(1, 2) for t in (q, k, v))
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        att = F.softmax(scores.masked_fill(mask[:T, :T], float("-inf")), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.attn_proj(y)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))
        return x, (att if want_attn else None)


class GPT(nn.Module):
    def __init__(self, vocab_size=8192, n_positions=128, n_embd=128, n_layer=4, n_head=4,
                 eps=1e-5):
        super().__init__()
        self.config = dict(vocab_size=vocab_size, n_positions=n_positions, n_embd=n_embd,
                           n_layer=n_layer, n_head=n_head, eps=eps)
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(n_positions, n_embd)
        self.h = nn.ModuleList(Block(n_embd, n_head, eps) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd, eps=eps)
        mask = torch.triu(torch.ones(n_positions, n_positions, dtype=torch.bool), 1)
        self.register_buffer("mask", mask, persistent=False)
        # GPT-2's initialisation; residual projections shrink with depth.
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln" in name:
                nn.init.ones_(p)
            elif name.endswith("proj.weight"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * n_layer))
            elif name == "wpe.weight":
                nn.init.normal_(p, std=0.01)
            else:
                nn.init.normal_(p, std=0.02)

    def forward(self, idx, want_attn=False):
        """Return logits [B, T, V] and, if asked, a list of attention [B, H, T, T] per layer."""
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        atts = []
        for block in self.h:
            x, att = block(x, self.mask, want_attn)
            atts.append(att)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied LM head
        return logits, (atts if want_attn else None)


def load_checkpoint(path):
    """(model in eval mode, checkpoint dict) from a tools/train/train.py checkpoint."""
    ckpt = torch.load(path)
    s = ckpt["settings"]
    model = GPT(n_positions=s["n_ctx"], n_embd=s["n_embd"], n_layer=s["n_layer"],
                n_head=s["n_head"])
    model.load_state_dict(ckpt["model"])
    model.eval()
    return model, ckpt
