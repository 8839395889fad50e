package dev.mkspec.refinement.kernel;

import dev.mkspec.kernel.Layout;
import dev.mkspec.model.addressspaces.AddressSpacesConstants;
import java.util.Objects;

/**
 * Which part of a kernel the address-space abstraction sees, fixed by the constants of an
 * {@code AddressSpaces} cfg: user space {@code i} of the cfg's {@code Spaces} is the kernel's
 * space slot {@code i} (slot 0 being Sigma0), page {@code p} of a user space is the kernel page at
 * {@code userBase + p * 4096}, and frame {@code f} (Sigma0's page {@code f}) is Sigma0's
 * {@code (sigma0First + f)}-th frame, at Sigma0's address for it.
 *
 * <p>A kernel state with anything live beyond these bounds (a space in a higher slot, a mapping
 * outside the window, a frame Sigma0 does not lend from the bounded ones, rights outside Perms) has
 * no abstract image: {@link KernelAbstraction} says so rather than guess.
 *
 * @param constants the model's constants (their Bug is ignored: the kernel is what is checked)
 * @param userBase the user address of page 0 of every user space
 * @param sigma0First the index of Sigma0's frame that is the model's frame 0
 */
public record KernelBounds(AddressSpacesConstants constants, long userBase, int sigma0First) {
    public KernelBounds {
        Objects.requireNonNull(constants, "constants");
        if ((userBase & 0xFFF) != 0) {
            throw new IllegalArgumentException("the user window must be page aligned, not " + Long.toHexString(userBase));
        }
        if (constants.fpageOrder() != 0) {
            throw new IllegalArgumentException("the kernel is abstracted page by page, so its bounds need FpageOrder = 0, not "
                    + constants.fpageOrder() + " (a kernel fpage of 2^k pages stands for 2^k single-page model steps)");
        }
        if (constants.spaceCount() > Layout.MAX_SPACES) {
            throw new IllegalArgumentException("the kernel has " + Layout.MAX_SPACES + " space slots; the bounds ask for "
                    + constants.spaceCount());
        }
    }

    /**
     * Sigma0's frames from this index on are the model's; the ones before are left to the pager's
     * set-up ({@link dev.mkspec.kernel.Kernel#sigma0Map}, e.g. message buffers for the Mach path).
     */
    public static final int FIRST_BOUNDED_FRAME = 512;

    /** The bounds of {@code constants} over {@link Layout#USER_DATA}, from {@link #FIRST_BOUNDED_FRAME}. */
    public static KernelBounds of(AddressSpacesConstants constants) {
        return new KernelBounds(constants, Layout.USER_DATA, FIRST_BOUNDED_FRAME);
    }

    public int pages() {
        return constants.pages();
    }

    /** Sigma0 and the user spaces. */
    public int spaces() {
        return constants.spaceCount();
    }

    /** The rights the model knows, as the kernel's (and the model's) bits r = 1, w = 2, x = 4. */
    public int perms() {
        return constants.allRights();
    }

    /** The user address of page {@code p} of a user space. */
    public long userAddress(int p) {
        return userBase + (long) p * 4096;
    }

    /** The window page of a user address, or -1 outside the window. */
    public int userPage(long vaddr) {
        long off = vaddr - userBase;
        return off < 0 || off >= (long) pages() * 4096 ? -1 : (int) (off >>> 12);
    }
}
