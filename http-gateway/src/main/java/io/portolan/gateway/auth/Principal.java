package io.portolan.gateway.auth;

import io.portolan.cluster.access.Role;
import io.portolan.cluster.access.TokenEntity;

/** Who is calling: a user (through a session or API token) or an agent (through an agent token). */
public record Principal(String name, Role role, String tokenId, TokenEntity.Kind kind) {}
