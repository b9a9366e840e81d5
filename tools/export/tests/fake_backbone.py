"""A small causal stand-in for LlamaModel: (input_ids, attention_mask) -> (hidden [B, L, H], no presents)."""

import torch
import torch.nn as nn


class CausalMeanBackbone(nn.Module):
    """Embedding (ids hashed into 97 rows), then the running mean over earlier tokens and a projection.

    Causal like Llama, so right padding leaves every real token's hidden state unchanged. It has no keys and values
    to cache (num_layers 0), so its graph has only the contract's four inputs.
    """
    num_layers = 0

    def __init__(self, hidden, seed=1):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.embed = nn.Embedding(97, hidden)
        self.proj = nn.Linear(hidden, hidden, bias=False)
        with torch.no_grad():
            self.embed.weight.copy_(torch.randn(97, hidden, generator=g))
            self.proj.weight.copy_(torch.randn(hidden, hidden, generator=g) / hidden ** 0.5)

    def forward(self, input_ids, attention_mask):
        x = self.embed(torch.remainder(input_ids, 97)) * attention_mask.unsqueeze(-1).float()
        count = torch.cumsum(attention_mask, dim=1).clamp(min=1).unsqueeze(-1).float()
        return torch.tanh(self.proj(torch.cumsum(x, dim=1) / count)), []
